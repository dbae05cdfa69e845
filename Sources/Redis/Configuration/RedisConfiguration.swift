import NIOCore

/// Where a ``RedisClient`` connects, how it logs in, and its pool, timeouts and reconnect pace.
///
/// Usually made from `REDIS_URL` with ``init(url:)``; the other fields keep their defaults unless a service has a
/// reason to change them.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Where the Redis server listens.
    public enum Endpoint: Sendable, Hashable {
        /// A TCP host (name, IPv4 or IPv6 address) and port.
        case tcp(host: String, port: Int)
        /// A Unix domain socket's path.
        case unixSocket(path: String)
    }

    /// Where the Redis server listens.
    public var endpoint: Endpoint
    /// The ACL user for `AUTH user password` (Redis 6 and later); nil sends `AUTH password` when there is a password.
    public var username: String?
    /// The password sent with `AUTH` on every new connection; nil sends no `AUTH`.
    public var password: String?
    /// The database every new connection `SELECT`s; 0 (Redis' default) sends no `SELECT`.
    public var database: Int
    /// Connections each event loop keeps. Commands are pipelined, so a few carry a lot; more spread the harm of a
    /// slow command (which holds up the replies queued behind it on its connection).
    public var connectionsPerEventLoop: Int
    /// How long a connection attempt may take, `AUTH` and `SELECT` excluded (those are commands).
    public var connectTimeout: TimeAmount
    /// How long a command waits for its reply. On timeout the command fails with ``RedisError/Code/timeout`` and
    /// its connection is closed. Blocking commands (`BLPOP key 30`) need a longer timeout than they block.
    public var commandTimeout: TimeAmount
    /// How long the client waits before each new attempt to reconnect after a failed one.
    public var reconnectBackoff: RedisReconnectBackoff

    /// A configuration for `endpoint`, with the given credentials and database and default limits.
    public init(
        endpoint: Endpoint,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectionsPerEventLoop: Int = 2,
        connectTimeout: TimeAmount = .seconds(5),
        commandTimeout: TimeAmount = .seconds(5),
        reconnectBackoff: RedisReconnectBackoff = RedisReconnectBackoff()
    ) {
        precondition(connectionsPerEventLoop > 0, "a Redis client needs at least one connection per event loop")
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.connectionsPerEventLoop = connectionsPerEventLoop
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectBackoff = reconnectBackoff
    }

    /// The configuration without its password, for logs.
    public var description: String {
        let credentials =
            switch (self.username, self.password) {
            case (let user?, _?): "\(user):<redacted>@"
            case (nil, _?): ":<redacted>@"
            case (let user?, nil): "\(user)@"
            case (nil, nil): ""
            }
        switch self.endpoint {
        case .tcp(let host, let port):
            let host = host.contains(":") ? "[\(host)]" : host
            return "redis://\(credentials)\(host):\(port)/\(self.database)"
        case .unixSocket(let path):
            return "unix://\(credentials)\(path)?db=\(self.database)"
        }
    }
}
