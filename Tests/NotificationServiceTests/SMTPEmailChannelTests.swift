import Foundation
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// The SMTP channel against aiosmtpd started by the test (`make test` installs it), which requires a login.
@Suite(.enabled(if: ProviderServers.smtpTestsRun, "python3 -m aiosmtpd is missing: run `make test`"))
struct SMTPEmailChannelTests {
    static func message(to recipients: [String], body: String = "Hello Ada,\n.leading dot\nBye") -> OutgoingMessage {
        OutgoingMessage(
            channel: .email, recipients: recipients, subject: "Your order ord-1 is confirmed", body: body,
            idempotencyKey: "delivery-1", eventType: "order.created")
    }

    static func channel(port: Int, password: String = "s3cret") throws -> SMTPEmailChannel {
        try SMTPEmailChannel(
            settings: SMTPSettings(url: "smtp://mailer:\(password)@127.0.0.1:\(port)"),
            from: "Acme <no-reply@acme.test>")
    }

    /// The messages the server accepted, oldest first.
    static func received(_ server: PythonServer) throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: server.folder).filter { $0.hasSuffix(".json") }
        return try names.sorted().map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: server.folder + "/" + name))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    @Test(arguments: [[], ["PLAIN"]])
    func sendsWithLogin(excluding mechanisms: [String]) async throws {
        try await PythonServer.with(ProviderServers.smtpScript, arguments: mechanisms) { server in
            let id = try await Self.channel(port: server.port).send(Self.message(to: ["ada@example.com"]))
            #expect(id == "delivery-1@acme-notifications")
            let received = try Self.received(server)
            try #require(received.count == 1)
            #expect(received[0]["from"] as? String == "no-reply@acme.test")
            #expect(received[0]["to"] as? [String] == ["ada@example.com"])
            let data = try #require(received[0]["data"] as? String)
            #expect(data.contains("Subject: Your order ord-1 is confirmed"))
            #expect(data.contains("To: ada@example.com"))
            #expect(data.contains("Message-ID: <delivery-1@acme-notifications>"))
            // The server undid the dot-stuffing: the body arrives as written.
            #expect(data.contains("Hello Ada,\r\n.leading dot\r\nBye"))
        }
    }

    @Test func startsTLSWhenTheServerOffersIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-smtp-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.makeCertificate(in: folder)
        try await PythonServer.with(
            ProviderServers.smtpScript, arguments: ["--tls=\(folder)/cert.pem,\(folder)/key.pem"]
        ) { server in
            var settings = try SMTPSettings(url: "smtp://mailer:s3cret@127.0.0.1:\(server.port)")
            settings.trustedCAFile = folder + "/cert.pem"
            let channel = try SMTPEmailChannel(settings: settings, from: "no-reply@acme.test")
            _ = try await channel.send(Self.message(to: ["ada@example.com"]))
            #expect(try Self.received(server).count == 1)

            // Without the server's certificate among the trusted ones, nothing is sent.
            let untrusting = try SMTPEmailChannel(
                settings: SMTPSettings(url: "smtp://mailer:s3cret@127.0.0.1:\(server.port)"),
                from: "no-reply@acme.test")
            await #expect(throws: DeliveryFailure.self) {
                try await untrusting.send(Self.message(to: ["ada@example.com"]))
            }
            #expect(try Self.received(server).count == 1)
        }
    }

    @Test func sslCertFileIsTrustedBesideTheCAFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-smtp-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.makeCertificate(in: folder)
        // Another authority as SMTP_CA_FILE: the server's certificate is trusted through SSL_CERT_FILE alone.
        let other = folder + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Self.makeCertificate(in: other)
        try await PythonServer.with(
            ProviderServers.smtpScript, arguments: ["--tls=\(folder)/cert.pem,\(folder)/key.pem"]
        ) { server in
            let url = "smtp://mailer:s3cret@127.0.0.1:\(server.port)"
            let configuration = try NotificationServiceConfiguration.fromEnvironment([
                "SMTP_URL": url, "SMTP_CA_FILE": other + "/cert.pem", "SSL_CERT_FILE": folder + "/cert.pem",
            ])
            _ = try await configuration.channels().email.send(Self.message(to: ["ada@example.com"]))
            #expect(try Self.received(server).count == 1)

            // With the other authority only, TLS refuses the server.
            let untrusting = try NotificationServiceConfiguration.fromEnvironment([
                "SMTP_URL": url, "SMTP_CA_FILE": other + "/cert.pem",
            ])
            await #expect(throws: DeliveryFailure.self) {
                try await untrusting.channels().email.send(Self.message(to: ["ada@example.com"]))
            }
            #expect(try Self.received(server).count == 1)
        }
        let missing = try NotificationServiceConfiguration.fromEnvironment([
            "SMTP_URL": "smtp://127.0.0.1:25", "SSL_CERT_FILE": folder + "/missing.pem",
        ])
        let error = #expect(throws: ServiceConfigurationError.self) { try missing.channels() }
        #expect(error.map { "\($0)" }?.contains("SSL_CERT_FILE: \(folder)/missing.pem") == true)
    }

    @Test func aLoginIsNotSentWithoutTLSUnlessTheServerIsOnLoopback() async throws {
        try await PythonServer.with(ProviderServers.smtpScript) { server in
            // 0.0.0.0 reaches the loopback server, but is not a loopback name: the login stays home.
            let remote = try SMTPEmailChannel(
                settings: SMTPSettings(url: "smtp://mailer:s3cret@0.0.0.0:\(server.port)"), from: "no-reply@acme.test")
            let error = await #expect(throws: DeliveryFailure.self) {
                try await remote.send(Self.message(to: ["ada@example.com"]))
            }
            #expect(error?.kind == .permanent)
            #expect(error?.reason.contains("refusing to send the login over an unencrypted connection") == true)
            #expect(try Self.received(server).isEmpty)
            // On loopback it is sent.
            _ = try await Self.channel(port: server.port).send(Self.message(to: ["ada@example.com"]))
            #expect(try Self.received(server).count == 1)
        }
        let loopback = try ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "mail.example.com", "10.0.0.1"].map {
            try SMTPSettings(url: "smtp://\($0)").isLoopback
        }
        #expect(loopback == [true, true, true, true, false, false])
    }

    @Test func aForwardingRecipientIsAccepted() async throws {
        let script = try #require(SMTPForwardingServer.script, "the shared SMTP script changed its RCPT handler")
        try await PythonServer.with(script) { server in
            let channel = try Self.channel(port: server.port)
            _ = try await channel.send(Self.message(to: ["ada@forward.test", "bob@example.com"]))
            let received = try Self.received(server)
            try #require(received.count == 1)
            #expect(received[0]["to"] as? [String] == ["ada@forward.test", "bob@example.com"])
        }
    }

    /// A self-signed certificate for 127.0.0.1 (`cert.pem`, `key.pem`), made with the openssl command.
    static func makeCertificate(in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl req failed")
    }

    @Test func aWrongPasswordIsPermanent() async throws {
        try await PythonServer.with(ProviderServers.smtpScript) { server in
            let error = await #expect(throws: DeliveryFailure.self) {
                try await Self.channel(port: server.port, password: "wrong").send(Self.message(to: ["ada@example.com"]))
            }
            #expect(error?.kind == .permanent)
            #expect(error?.reason.contains("535") == true)
            let received = try Self.received(server)
            #expect(received.isEmpty)
        }
    }

    @Test func a4xxReplyIsTemporary() async throws {
        try await PythonServer.with(ProviderServers.smtpScript) { server in
            let error = await #expect(throws: DeliveryFailure.self) {
                try await Self.channel(port: server.port).send(Self.message(to: ["ada@busy.test"]))
            }
            #expect(error?.kind == .temporary)
            #expect(error?.reason.contains("451") == true)
        }
    }

    @Test func aRefusedConnectionIsTemporary() async throws {
        // A port the server listened on and left: nothing listens there now.
        let port = try await PythonServer.with(ProviderServers.smtpScript) { $0.port }
        let error = await #expect(throws: DeliveryFailure.self) {
            try await Self.channel(port: port).send(Self.message(to: ["ada@example.com"]))
        }
        #expect(error?.kind == .temporary)
    }

    @Test func settingsFromTheURL() throws {
        let plain = try SMTPSettings(url: "smtp://us%40er:p%3Ass@mail.example.com")
        #expect(
            plain
                == SMTPSettings(
                    host: "mail.example.com", port: 587, implicitTLS: false, username: "us@er", password: "p:ss"))
        let tls = try SMTPSettings(url: "smtps://mail.example.com")
        #expect(tls.port == 465 && tls.implicitTLS && tls.username == nil)
        #expect(throws: (any Error).self) { try SMTPSettings(url: "http://mail.example.com") }
    }
}
