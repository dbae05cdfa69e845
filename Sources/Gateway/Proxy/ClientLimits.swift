#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// How long a client connection may keep the gateway waiting for a request, and how many client connections the
/// proxy listeners hold at once. Named and defaulted as NGINX (and so Kong) does.
public struct ClientLimits: Sendable, Hashable {
    /// NGINX's `client_header_timeout`: the time a client has to send a whole request head, counted from the
    /// connection's accept for its first request and from the head's first byte after that. Past it, a partly
    /// sent head is answered 408 and the connection closes; a connection that sent nothing is closed.
    public var headerTimeout: TimeAmount
    /// NGINX's `keepalive_timeout`: how long a kept-alive connection may sit idle between requests before it is
    /// closed.
    public var keepaliveTimeout: TimeAmount
    /// Client connections held at once across the proxy listeners; a connection beyond it is accepted and closed
    /// at once (counted as refused in `ConnectionStatistics`).
    public var maxConnections: Int

    public init(
        headerTimeout: TimeAmount = .seconds(60),
        keepaliveTimeout: TimeAmount = .seconds(75),
        maxConnections: Int = ClientLimits.defaultMaxConnections
    ) {
        self.headerTimeout = headerTimeout
        self.keepaliveTimeout = keepaliveTimeout
        self.maxConnections = maxConnections
    }

    /// Kong's `nginx_events_worker_connections = auto`: the open-file limit capped at 16384, halved here since
    /// each proxied client connection may hold an upstream connection too.
    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0 else { return 16_384 }
        return max(1, Int(clamping: min(limit.rlim_cur / 2, 16_384)))
    }
}
