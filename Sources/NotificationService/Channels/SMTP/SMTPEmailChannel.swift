import Foundation
import NIOCore
import NIOSSL
import ServiceKit

/// Email over SMTP (RFC 5321): a connection per message; EHLO, STARTTLS when the server offers it (or TLS from the
/// start for `smtps://`), AUTH PLAIN or LOGIN when the URL has a login, then MAIL FROM, RCPT TO (250 or 251), DATA and
/// QUIT. A login is never sent in the clear: without TLS it is refused (a permanent failure) unless the server is on
/// loopback. TLS trusts `SMTP_CA_FILE` (else the system's authorities) and, beside them, `SSL_CERT_FILE`.
/// A 4xx reply or a lost connection is a temporary failure, a 5xx reply a permanent one.
public struct SMTPEmailChannel: NotificationChannel {
    /// The server.
    public let settings: SMTPSettings
    /// The sender (`MAIL_FROM`).
    public let from: String
    /// The name this client gives in EHLO.
    public let clientName: String
    /// How long one message's exchange may take.
    public let timeout: Duration
    private let tls: NIOSSLContext

    public var provider: String { "smtp" }

    /// A channel to the server in `settings`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `SMTP_CA_FILE` or `SSL_CERT_FILE` when the file cannot be read
    ///   as PEM certificates; NIOSSL's errors when the TLS context cannot be made.
    public init(
        settings: SMTPSettings, from: String, clientName: String = "acme-notifications",
        timeout: Duration = .seconds(60)
    ) throws {
        self.settings = settings
        self.from = from
        self.clientName = clientName
        self.timeout = timeout
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let file = settings.trustedCAFile {
            configuration.trustRoots = .certificates(try Self.certificates(file, variable: "SMTP_CA_FILE"))
        }
        if let file = settings.additionalCAFile {
            configuration.additionalTrustRoots = [
                .certificates(try Self.certificates(file, variable: "SSL_CERT_FILE"))
            ]
        }
        self.tls = try NIOSSLContext(configuration: configuration)
    }

    /// The PEM certificates in `file`.
    private static func certificates(_ file: String, variable: String) throws -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(file)
        } catch {
            throw ServiceConfigurationError("\(variable): \(file): expected PEM certificates: \(error)")
        }
        guard !certificates.isEmpty else {
            throw ServiceConfigurationError("\(variable): \(file): expected PEM certificates, found none")
        }
        return certificates
    }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let messageID = "\(message.idempotencyKey)@\(self.clientName)"
        let email = EmailMessage(
            from: self.from, to: message.recipients, subject: message.subject, body: message.body,
            messageID: messageID, date: Date())
        let serverName = Self.isIPAddress(self.settings.host) ? nil : self.settings.host
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.connect(
                host: self.settings.host, port: self.settings.port,
                tls: self.settings.implicitTLS ? self.tls : nil, serverHostname: serverName,
                deadline: .nanoseconds(Int64(self.timeout.components.seconds) * 1_000_000_000))
        } catch {
            throw DeliveryFailure(.temporary, "cannot connect to \(self.settings.host):\(self.settings.port): \(error)")
        }
        do {
            try await self.exchange(email, on: connection, serverName: serverName)
            await connection.close()
            return messageID
        } catch let failure as DeliveryFailure {
            await connection.close()
            throw failure
        } catch {
            await connection.close()
            throw DeliveryFailure(.temporary, "SMTP: \(error)")
        }
    }

    private func exchange(_ email: EmailMessage, on connection: SMTPConnection, serverName: String?) async throws {
        try Self.expect(try await connection.reply(), 220, "greeting")
        var extensions = try await self.hello(connection)
        var encrypted = self.settings.implicitTLS
        if !encrypted, extensions.contains("STARTTLS") {
            try Self.expect(try await connection.command("STARTTLS"), 220, "STARTTLS")
            try await connection.startTLS(self.tls, serverHostname: serverName)
            encrypted = true
            extensions = try await self.hello(connection)
        }
        if let username = self.settings.username {
            guard encrypted || self.settings.isLoopback else {
                throw DeliveryFailure(
                    .permanent,
                    "SMTP: \(self.settings.host):\(self.settings.port) offers no STARTTLS; refusing to send the login "
                        + "over an unencrypted connection (use smtps:// or a server that offers STARTTLS)")
            }
            try await self.authenticate(
                connection, username: username, password: self.settings.password ?? "", extensions: extensions)
        }
        try Self.expect(try await connection.command("MAIL FROM:<\(email.fromAddress)>"), 250, "MAIL FROM")
        for recipient in email.to {
            // 251: "user not local; will forward", an acceptance too (RFC 5321 3.4).
            try Self.expect(try await connection.command("RCPT TO:<\(recipient)>"), [250, 251], "RCPT TO")
        }
        try Self.expect(try await connection.command("DATA"), 354, "DATA")
        try await connection.write(Self.dotStuffed(email.rfc5322) + ".\r\n")
        try Self.expect(try await connection.reply(), 250, "the message")
        _ = try? await connection.command("QUIT")
    }

    /// EHLO; the extensions the server lists, upper-cased (`STARTTLS`, `AUTH PLAIN LOGIN`, ...).
    private func hello(_ connection: SMTPConnection) async throws -> [String] {
        let reply = try await connection.command("EHLO \(self.clientName)")
        try Self.expect(reply, 250, "EHLO")
        return reply.lines.dropFirst().map { $0.uppercased() }
    }

    private func authenticate(
        _ connection: SMTPConnection, username: String, password: String, extensions: [String]
    ) async throws {
        let mechanisms =
            extensions.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?
            .dropFirst(5).split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try Self.expect(try await connection.command("AUTH PLAIN \(credentials)"), 235, "AUTH PLAIN")
        } else {
            try Self.expect(try await connection.command("AUTH LOGIN"), 334, "AUTH LOGIN")
            try Self.expect(
                try await connection.command(Data(username.utf8).base64EncodedString()), 334, "AUTH LOGIN username")
            try Self.expect(
                try await connection.command(Data(password.utf8).base64EncodedString()), 235, "AUTH LOGIN password")
        }
    }

    /// Passes when `reply` has `code`; otherwise a temporary failure for a 4xx, a permanent one for the rest.
    static func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws {
        try Self.expect(reply, [code], step)
    }

    /// Passes when `reply` has one of `codes`; otherwise a temporary failure for a 4xx, a permanent one for the rest.
    static func expect(_ reply: SMTPReply, _ codes: Set<Int>, _ step: String) throws {
        guard !codes.contains(reply.code) else { return }
        let kind: DeliveryFailure.Kind = (400..<500).contains(reply.code) ? .temporary : .permanent
        throw DeliveryFailure(kind, "SMTP \(step): the server answered \(reply)")
    }

    /// `text` with every line that starts with a dot given a second one (RFC 5321 4.5.2).
    static func dotStuffed(_ text: String) -> String {
        text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }

    private static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }
}
