import Logging
import NIOCore

/// The Redis connections of one event loop. Used on that loop only, so it needs no lock; commands from the loop's
/// handlers go out on the loop's own connections.
///
/// Each of the pool's slots holds a connection, an attempt to make one, or a wait before the next attempt. The
/// pool connects on its first command; a connection that closes is replaced at once, and a failed attempt is
/// retried after the configured backoff, in the background. Commands go round the open connections; with none
/// open they wait for an attempt under way (bounded by the connect timeout), or fail at once with the last
/// attempt's error while the pool waits to try again.
final class RedisConnectionPool {
    private enum Slot {
        case unused
        case connecting(EventLoopFuture<RedisConnection>)
        case open(RedisConnection)
        /// The last attempt failed with `error`; `retry` makes the next one.
        case waiting(error: RedisError, retry: Scheduled<Void>)
    }

    private let eventLoop: EventLoop
    private let configuration: RedisConfiguration
    private let logger: Logger
    private var slots: [Slot]
    /// Where the search for an open connection starts, so that commands go round them.
    private var nextSlot = 0
    private var isClosed = false

    init(eventLoop: EventLoop, configuration: RedisConfiguration, logger: Logger) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.logger = logger
        self.slots = Array(repeating: .unused, count: configuration.connectionsPerEventLoop)
    }

    /// Sends `command` on one of the loop's connections. Call on the pool's loop; the future completes there.
    func send(_ command: RedisCommand) -> EventLoopFuture<RedisReply> {
        guard !self.isClosed else { return self.eventLoop.makeFailedFuture(RedisError.clientClosed) }
        if let connection = self.nextOpenConnection() {
            return connection.send(command)
        }
        if let connecting = self.connectionUnderWay() {
            return connecting.flatMap { $0.send(command) }
        }
        return self.eventLoop.makeFailedFuture(self.lastConnectError())
    }

    /// Closes the connections and stops reconnecting; later commands fail with ``RedisError/Code/clientClosed``.
    func close() -> EventLoopFuture<Void> {
        self.isClosed = true
        var closing: [EventLoopFuture<Void>] = []
        for index in self.slots.indices {
            switch self.slots[index] {
            case .open(let connection):
                connection.close()
                closing.append(connection.closeFuture)
            case .connecting(let connecting):
                closing.append(connecting.flatMap { $0.closeFuture }.recover { _ in })
            case .waiting(_, let retry):
                retry.cancel()
            case .unused:
                break
            }
            self.slots[index] = .unused
        }
        return EventLoopFuture.andAllComplete(closing, on: self.eventLoop)
    }

    /// The next open connection round the slots. One found closed (its close not yet reported) is replaced now.
    private func nextOpenConnection() -> RedisConnection? {
        for offset in self.slots.indices {
            let index = (self.nextSlot + offset) % self.slots.count
            guard case .open(let connection) = self.slots[index] else { continue }
            guard connection.channel.isActive else {
                _ = self.connect(slot: index, failuresSoFar: 0)
                continue
            }
            self.nextSlot = index + 1
            return connection
        }
        return nil
    }

    /// An attempt to connect that is under way, or a new one in every unused slot (the first command).
    private func connectionUnderWay() -> EventLoopFuture<RedisConnection>? {
        var underWay: EventLoopFuture<RedisConnection>?
        for index in self.slots.indices {
            switch self.slots[index] {
            case .connecting(let connecting):
                underWay = underWay ?? connecting
            case .unused:
                let connecting = self.connect(slot: index, failuresSoFar: 0)
                underWay = underWay ?? connecting
            case .open, .waiting:
                break
            }
        }
        return underWay
    }

    private func lastConnectError() -> RedisError {
        for slot in self.slots {
            if case .waiting(let error, _) = slot { return error }
        }
        return .connectionFailed(message: "no connection to Redis")
    }

    private func connect(slot index: Int, failuresSoFar: Int) -> EventLoopFuture<RedisConnection> {
        let connecting = RedisConnection.connect(self.configuration, on: self.eventLoop)
        self.slots[index] = .connecting(connecting)
        connecting.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let connection):
                self.connectionDidOpen(connection, slot: index, after: failuresSoFar)
            case .failure(let error):
                let error = error as? RedisError ?? .connectionFailed(message: "\(error)")
                self.connectDidFail(error, slot: index, failures: failuresSoFar + 1)
            }
        }
        return connecting
    }

    private func connectionDidOpen(_ connection: RedisConnection, slot index: Int, after failures: Int) {
        guard !self.isClosed else {
            connection.close()
            return
        }
        if failures > 0 {
            self.logger.info("Redis connection restored", metadata: ["redis.failed_attempts": "\(failures)"])
        }
        self.slots[index] = .open(connection)
        connection.closeFuture.assumeIsolated().whenComplete { _ in
            self.connectionDidClose(connection, slot: index)
        }
    }

    private func connectionDidClose(_ connection: RedisConnection, slot index: Int) {
        guard !self.isClosed, case .open(let current) = self.slots[index], current === connection else { return }
        self.logger.info("Redis connection closed; reconnecting")
        _ = self.connect(slot: index, failuresSoFar: 0)
    }

    private func connectDidFail(_ error: RedisError, slot index: Int, failures: Int) {
        guard !self.isClosed else { return }
        let delay = self.configuration.reconnectBackoff.delay(afterFailures: failures)
        let metadata: Logger.Metadata = [
            "redis.error": "\(error)", "redis.failed_attempts": "\(failures)",
            "redis.retry_in_ms": "\(delay.nanoseconds / 1_000_000)",
        ]
        if failures == 1 {
            self.logger.warning("Redis connection failed", metadata: metadata)
        } else {
            self.logger.debug("Redis connection failed", metadata: metadata)
        }
        let retry = self.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            _ = self.connect(slot: index, failuresSoFar: failures)
        }
        self.slots[index] = .waiting(error: error, retry: retry)
    }
}

@available(*, unavailable)
extension RedisConnectionPool: Sendable {}
