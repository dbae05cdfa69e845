import Foundation
import ServiceKit

/// Where and how to send email over SMTP, from `SMTP_URL`: `smtp://user:pass@host:port` (STARTTLS when the server
/// offers it; port 587 by default) or `smtps://...` (TLS from the first byte; port 465 by default). The user and
/// password, percent-decoded, log in with AUTH PLAIN or LOGIN, whichever the server offers, and only over TLS unless
/// the server is on loopback.
public struct SMTPSettings: Sendable, Hashable {
    /// The server's name or address.
    public var host: String
    /// The port.
    public var port: Int
    /// Whether TLS starts at connection (`smtps://`).
    public var implicitTLS: Bool
    /// The login, when the URL has one.
    public var username: String?
    /// The password.
    public var password: String?
    /// The certificate authorities that TLS trusts (`SMTP_CA_FILE`, PEM); the system's when `nil`.
    public var trustedCAFile: String?
    /// A PEM bundle of certificate authorities trusted beside those (`SSL_CERT_FILE`).
    public var additionalCAFile: String?

    /// Settings from their parts.
    public init(
        host: String, port: Int, implicitTLS: Bool, username: String? = nil, password: String? = nil,
        trustedCAFile: String? = nil, additionalCAFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.username = username
        self.password = password
        self.trustedCAFile = trustedCAFile
        self.additionalCAFile = additionalCAFile
    }

    /// Whether `host` is this machine over loopback (`localhost`, `127.0.0.0/8`, `::1`): the only place a login
    /// may be sent without TLS.
    public var isLoopback: Bool {
        let host = self.host.lowercased()
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil } && octets[0] == "127"
    }

    /// Settings from `SMTP_URL`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `SMTP_URL` when it is not an smtp:// or smtps:// URL with a host.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw ServiceConfigurationError(
                "SMTP_URL: expected smtp://user:pass@host:port or smtps://user:pass@host:port, got \"\(text)\"")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.implicitTLS = scheme == "smtps"
        self.port = components.port ?? (self.implicitTLS ? 465 : 587)
        self.username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
    }
}
