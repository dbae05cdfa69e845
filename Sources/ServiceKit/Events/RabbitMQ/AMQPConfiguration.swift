import Foundation

/// Where the RabbitMQ broker is, from an AMQP URI (`amqp://user:pass@host:port/vhost`): user and password default
/// to `guest`, the port to 5672, the virtual host to `/` (an empty path or `/`; `%2F` writes `/` inside a name);
/// and how the bus on it retries a failing handler (`EventBusConfiguration` reads it from `EVENT_BUS_...`).
public struct AMQPConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The broker's host name or address.
    public var host: String
    /// The broker's AMQP port.
    public var port: Int
    /// The user to log in as (PLAIN authentication).
    public var user: String
    /// The user's password.
    public var password: String
    /// The virtual host.
    public var virtualHost: String
    /// How a failing handler is retried before its event moves to the dead-letter queue.
    public var retry: RetryPolicy = .eventHandlers

    /// A configuration from its parts.
    public init(
        host: String, port: Int = 5672, user: String = "guest", password: String = "guest", virtualHost: String = "/"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
    }

    /// The configuration an `amqp://` URI describes.
    ///
    /// - Throws: `ServiceConfigurationError` saying what is wrong with `url` (the password is never shown).
    public init(url: String) throws(ServiceConfigurationError) {
        guard let components = URLComponents(string: url), components.scheme == "amqp" else {
            throw ServiceConfigurationError("expected an amqp://user:pass@host:port/vhost URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ServiceConfigurationError("expected a host in the amqp:// URL")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw ServiceConfigurationError("expected a port from 1 to 65535 in the amqp:// URL, got \(port)")
        }
        if components.query != nil || components.fragment != nil {
            throw ServiceConfigurationError("expected no query or fragment in the amqp:// URL")
        }
        let path = components.percentEncodedPath
        let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !name.contains("/"), let virtualHost = name.removingPercentEncoding else {
            throw ServiceConfigurationError(
                "expected one virtual host after the amqp:// URL's address (write / as %2F)")
        }
        self.init(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
            port: components.port ?? 5672,
            user: components.user ?? "guest",
            password: components.password ?? "guest",
            virtualHost: virtualHost.isEmpty ? "/" : virtualHost)
    }

    /// The URI without the password (nor the retries).
    public var description: String {
        let vhost =
            self.virtualHost == "/"
            ? "" : self.virtualHost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "amqp://\(self.user)@\(host):\(self.port)/\(vhost)"
    }
}
