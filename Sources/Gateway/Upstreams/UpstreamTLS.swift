import NIOCore
import NIOSSL

/// How an https service's connections to its targets are secured, with Kong's service fields: `tls_verify` and
/// `ca_certificates`. Made when the configuration loads, with the TLS client context its connections use.
public struct UpstreamTLS: Sendable, Hashable {
    /// `tls_verify`: whether the target's certificate chain and host name are verified (on by default).
    public var verify: Bool
    /// `ca_certificates` as written: PEM files, relative to the configuration directory, whose certificates are
    /// trusted instead of the system's trust store. Empty means the system's.
    public var caCertificateFiles: [String]
    /// The TLS client context made from these settings and the files' certificates.
    public var context: UpstreamTLSContext

    public init(verify: Bool, caCertificateFiles: [String], context: UpstreamTLSContext) {
        self.verify = verify
        self.caCertificateFiles = caCertificateFiles
        self.context = context
    }
}

/// A TLS client context for upstream connections: verification on or off, and the certificates trusted (the
/// system's when none). Two contexts made from the same settings and certificates are equal, so connections pooled
/// under one serve the other (across a reload, say); connections of different contexts are never shared.
public final class UpstreamTLSContext: Sendable, Hashable {
    let sslContext: NIOSSLContext
    private let verify: Bool
    /// The trusted certificates' DER bytes; empty means the system's trust store.
    private let trusted: [[UInt8]]
    private let hash: Int

    /// Makes the context (TLS 1.2 and later, as NGINX's `proxy_ssl_protocols`); `trusted` empty trusts the
    /// system's trust store (which this reads: call off the event loops).
    public init(verify: Bool, trusted: [NIOSSLCertificate]) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = verify ? .fullVerification : .none
        if !trusted.isEmpty { configuration.trustRoots = .certificates(trusted) }
        self.sslContext = try NIOSSLContext(configuration: configuration)
        self.verify = verify
        self.trusted = try trusted.map { try $0.toDERBytes() }
        var hasher = Hasher()
        hasher.combine(verify)
        hasher.combine(self.trusted)
        self.hash = hasher.finalize()
    }

    /// The SNI name for a target: its host, unless that is an IP address (TLS names hosts only; the certificate is
    /// then checked against the address).
    static func serverName(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    public static func == (lhs: UpstreamTLSContext, rhs: UpstreamTLSContext) -> Bool {
        lhs === rhs || (lhs.hash == rhs.hash && lhs.verify == rhs.verify && lhs.trusted == rhs.trusted)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.hash)
    }
}
