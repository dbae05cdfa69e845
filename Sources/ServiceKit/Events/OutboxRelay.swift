import Foundation
import Logging
import ServiceLifecycle

/// Moves events from the outbox to the bus, oldest first: when woken after a commit (`wake()`), and every
/// `interval` in case a wake was missed or another process wrote the row. Each batch is read and marked in one
/// transaction (rows locked with `SKIP LOCKED` on PostgreSQL and MariaDB, so that two processes relay different rows); an
/// event whose publishing fails stays in the outbox for the next pass, so delivery is at least once. Published
/// rows are deleted after `retention`.
public final class OutboxRelay: Service, Sendable {
    private let relayer: Relayer
    private let loop: PeriodicService

    /// A relay from `database`'s outbox to `bus`.
    public init(
        database: any SQLDatabase, bus: any EventBus, logger: Logger, interval: Duration = .seconds(1),
        retention: Duration = .seconds(86_400)
    ) {
        let relayer = Relayer(database: database, bus: bus, logger: logger, retention: retention)
        self.relayer = relayer
        self.loop = PeriodicService(interval: interval) { await relayer.relayLogged() }
    }

    /// Asks for a pass now: call after committing a transaction that wrote to the outbox.
    public func wake() {
        self.loop.wake()
    }

    /// Relays until graceful shutdown, then relays once more.
    public func run() async throws {
        try await self.loop.run()
        await self.relayer.relayLogged()
    }

    /// Relays every pending event, in batches; returns how many were published.
    @discardableResult
    public func relayPending(batchSize: Int = 100) async throws -> Int {
        try await self.relayer.relayPending(batchSize: batchSize)
    }
}

/// The relay's passes.
private struct Relayer: Sendable {
    let database: any SQLDatabase
    let bus: any EventBus
    let logger: Logger
    let retention: Duration

    func relayLogged() async {
        do {
            try await self.relayPending()
        } catch {
            self.logger.error("outbox relay failed", metadata: ["error": "\(error)"])
        }
    }

    @discardableResult
    func relayPending(batchSize: Int = 100) async throws -> Int {
        var total = 0
        while true {
            let count = try await self.relayBatch(size: batchSize)
            total += count
            if count < batchSize { break }
        }
        let cutoff = Timestamp.nowMilliseconds() - Int64(self.retention.components.seconds) * 1000
        try await self.database.query(
            SQLStatement("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1", [.integer(cutoff)]))
        return total
    }

    private func relayBatch(size: Int) async throws -> Int {
        let bus = self.bus
        return try await self.database.transaction { transaction in
            // SQLite has one writer at a time; PostgreSQL and MariaDB (10.6 and later) skip the rows another relay holds.
            let lock = transaction.dialect == .sqlite ? "" : " FOR UPDATE SKIP LOCKED"
            let rows = try await transaction.query(
                SQLStatement(
                    "SELECT seq, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1\(lock)",
                    [.integer(Int64(size))]))
            var published = 0
            for row in rows {
                let event = try EventEnvelope.parse(try row.text("envelope"))
                try await bus.publish(event)
                try await transaction.query(
                    SQLStatement(
                        "UPDATE outbox SET published_at = $1 WHERE seq = $2",
                        [.integer(Timestamp.nowMilliseconds()), .integer(try row.integer("seq"))]))
                published += 1
            }
            return published
        }
    }
}
