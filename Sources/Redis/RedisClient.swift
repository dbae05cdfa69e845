import Logging
import NIOCore

/// A Redis client for a whole `EventLoopGroup`: each event loop has its own small pool of pipelined connections,
/// and a command sent from a loop goes out on that loop's connections, so NIO handlers never hop loops.
///
/// ```swift
/// let configuration = try RedisConfiguration(url: redisURL)
/// let client = RedisClient(configuration: configuration, eventLoopGroup: group, logger: logger)
/// try await client.send("SET", "greeting", "hello")
/// let greeting = try await client.send("GET", "greeting").string
/// // In a channel handler, on its own loop:
/// client.send(RedisCommand("INCR", key), on: context.eventLoop).whenComplete { ... }
/// try await client.close()
/// ```
///
/// Connections are made on first use and replaced when they close; after a failed attempt the client tries again
/// in the background (see ``RedisReconnectBackoff``), and commands sent meanwhile fail at once with
/// ``RedisError/Code/connectionFailed`` instead of waiting. A server error reply fails its command with
/// ``RedisError/Code/server``. Close the client before shutting down its event loop group.
///
/// Consecutive commands may go out on different connections, so commands that change a connection's state
/// (`SELECT`, `MULTI`/`EXEC`, `WATCH`, `SUBSCRIBE`, `CLIENT REPLY`) do not belong here: configure the database in
/// the URL, and use a Lua script (``run(_:keys:arguments:on:)``) where several commands must run as one. Blocking
/// commands (`BLPOP`) hold up the replies queued behind them on their connection.
public final class RedisClient: Sendable {
    /// The settings the client was made with.
    public let configuration: RedisConfiguration
    let eventLoopGroup: EventLoopGroup
    private let pools: [ObjectIdentifier: NIOLoopBoundBox<RedisConnectionPool>]

    /// A client for the Redis at `configuration`, with a connection pool on each of `eventLoopGroup`'s loops.
    /// It connects on its first command. Call from anywhere.
    public init(configuration: RedisConfiguration, eventLoopGroup: EventLoopGroup, logger: Logger) {
        var logger = logger
        logger[metadataKey: "redis.server"] = "\(configuration)"
        var pools: [ObjectIdentifier: NIOLoopBoundBox<RedisConnectionPool>] = [:]
        for eventLoop in eventLoopGroup.makeIterator() {
            let pool = RedisConnectionPool(eventLoop: eventLoop, configuration: configuration, logger: logger)
            pools[ObjectIdentifier(eventLoop)] = .makeBoxSendingValue(pool, eventLoop: eventLoop)
        }
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.pools = pools
    }

    /// Sends `command` on one of `eventLoop`'s connections, pipelined behind the commands already sent there; the
    /// future completes on `eventLoop`. From a channel handler, pass `context.eventLoop`: no thread hop. A loop
    /// outside the client's group is served by one of the group's loops.
    ///
    /// The future fails with a ``RedisError``: ``RedisError/Code/server`` with Redis' message for an error reply,
    /// ``RedisError/Code/timeout``, ``RedisError/Code/connectionFailed``, ``RedisError/Code/connectionClosed``, ...
    public func send(_ command: RedisCommand, on eventLoop: EventLoop) -> EventLoopFuture<RedisReply> {
        guard let pool = self.pools[ObjectIdentifier(eventLoop)] else {
            return self.send(command, on: self.eventLoopGroup.next()).hop(to: eventLoop)
        }
        if eventLoop.inEventLoop {
            return pool.value.send(command)
        }
        return eventLoop.flatSubmit { pool.value.send(command) }
    }

    /// Sends `command` and returns its reply. A server error reply throws ``RedisError`` with code
    /// ``RedisError/Code/server`` and Redis' message; see ``send(_:on:)`` for the other failures.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RedisReply {
        try await self.send(command, on: self.eventLoopGroup.any()).get()
    }

    /// Sends the command `name` with `arguments` and returns its reply: `try await client.send("GET", key)`.
    @discardableResult
    public func send(_ name: String, _ arguments: RedisArgument...) async throws -> RedisReply {
        try await self.send(RedisCommand(name, arguments: arguments))
    }

    /// Closes every connection and stops reconnecting. Commands still waiting fail with
    /// ``RedisError/Code/connectionClosed``, later ones with ``RedisError/Code/clientClosed``.
    public func close() -> EventLoopFuture<Void> {
        let closed = self.pools.values.map { pool in
            pool.eventLoop.flatSubmit { pool.value.close() }
        }
        return EventLoopFuture.andAllComplete(closed, on: self.eventLoopGroup.any())
    }

    /// Closes every connection and stops reconnecting, like the `EventLoopFuture` variant, and waits until they are
    /// closed.
    public func close() async {
        try? await self.close().get()
    }
}
