import ArgumentParser
import Gateway
import NIOCore

/// The options of every command that runs the gateway about the client side of the proxy: the HTTPS listener and
/// the client timeouts and connection limit, named after Kong's and NGINX's settings.
struct ProxyClientOptions: ParsableArguments {
    @Option(
        name: .customLong("proxy-listen-ssl"),
        help: "HTTPS proxy listener, HOST:PORT (off by default; needs --ssl-cert and --ssl-key)."
    )
    var proxyListenSSL: String?

    @Option(
        name: .customLong("ssl-cert"),
        help: "PEM file of the HTTPS listener's certificate (the leaf first, then intermediates)."
    )
    var sslCert: String?

    @Option(name: .customLong("ssl-key"), help: "PEM file of the HTTPS listener's private key (unencrypted).")
    var sslKey: String?

    @Option(
        help: """
            Time a client has to send a whole request head (NGINX's client_header_timeout): seconds, or a number \
            with ms, s or m.
            """
    )
    var clientHeaderTimeout: String = "60s"

    @Option(
        help: """
            Time a kept-alive client connection may stay idle (NGINX's keepalive_timeout): seconds, or a number \
            with ms, s or m.
            """
    )
    var keepaliveTimeout: String = "75s"

    @Option(
        help: """
            Client connections held at once; more are accepted and closed at once (default: half the open-file \
            limit, at most 16384).
            """
    )
    var maxConnections: Int?

    /// Sets the HTTPS listener and the client limits on `options`; throws `ValidationError` naming the option.
    func apply(to options: inout GatewayOptions) throws {
        if let maxConnections = self.maxConnections, maxConnections < 1 {
            throw ValidationError("--max-connections: expected a positive integer, got \(maxConnections)")
        }
        options.proxyListenTLS = try self.tlsListen()
        options.clientLimits = ClientLimits(
            headerTimeout: try Self.duration(self.clientHeaderTimeout, option: "--client-header-timeout"),
            keepaliveTimeout: try Self.duration(self.keepaliveTimeout, option: "--keepalive-timeout"),
            maxConnections: self.maxConnections ?? options.clientLimits.maxConnections
        )
    }

    private func tlsListen() throws -> ProxyTLSListen? {
        guard let listen = self.proxyListenSSL else {
            if self.sslCert != nil || self.sslKey != nil {
                throw ValidationError("--ssl-cert and --ssl-key go with --proxy-listen-ssl")
            }
            return nil
        }
        guard let address = ListenAddress(parsing: listen) else {
            throw ValidationError("--proxy-listen-ssl: expected HOST:PORT, got \"\(listen)\"")
        }
        guard let certificate = self.sslCert, let key = self.sslKey else {
            throw ValidationError("--proxy-listen-ssl needs --ssl-cert and --ssl-key")
        }
        return ProxyTLSListen(address: address, certificateFile: certificate, keyFile: key)
    }

    /// A positive duration as NGINX writes one: a number of seconds, or a number with `ms`, `s` or `m`.
    static func duration(_ text: String, option: String) throws -> TimeAmount {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let units: [Substring: Int64] = ["": 1_000, "s": 1_000, "ms": 1, "m": 60_000]
        guard !digits.isEmpty, let number = Int64(digits), number > 0, number <= Int64(Int32.max),
            let milliseconds = units[text.dropFirst(digits.count)]
        else {
            throw ValidationError("\(option): expected a positive duration (60, 60s, 500ms, 2m), got \"\(text)\"")
        }
        return .milliseconds(number * milliseconds)
    }
}
