import Foundation
import Logging
import ServiceLifecycle

/// Moves events from the outbox to the bus, oldest first: when woken after a commit (`wake()`), and every
/// `interval` in case a wake was missed or another process wrote the row. The outbox needs
/// `Outbox.migration(version:)` and `Outbox.claimMigration(version:)`.
///
/// No transaction stays open while the bus works (on SQLite that would hold up every write of the service while
/// the broker is slow): each batch is claimed in a short transaction (`claimed_until` set to now plus
/// `claimLease`; on PostgreSQL and MariaDB the rows are read `FOR UPDATE SKIP LOCKED`, so relays in several
/// processes claim different rows), published after the commit (pipelined where the bus can), and the confirmed
/// events are marked published in another short transaction. An event whose publishing fails is released for the
/// next pass, and one whose relay stopped mid-batch is taken again once its lease ran out, so delivery is at
/// least once (consumers ignore duplicates with `ConsumedEvents`). Published rows are deleted after `retention`.
public final class OutboxRelay: Service, Sendable {
    private let relayer: Relayer
    private let loop: PeriodicService

    /// A relay from `database`'s outbox to `bus`.
    public init(
        database: any SQLDatabase, bus: any EventBus, logger: Logger, interval: Duration = .seconds(1),
        retention: Duration = .seconds(86_400), claimLease: Duration = .seconds(120)
    ) {
        let relayer = Relayer(
            database: database, bus: bus, logger: logger, retention: retention, claimLease: claimLease)
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
    /// An outbox row taken for publishing.
    private struct Claimed: Sendable {
        let seq: Int64
        let event: EventEnvelope
    }

    let database: any SQLDatabase
    let bus: any EventBus
    let logger: Logger
    let retention: Duration
    let claimLease: Duration

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
            let (claimed, published) = try await self.relayBatch(size: batchSize)
            total += published
            if claimed < batchSize { break }
        }
        let cutoff = Timestamp.nowMilliseconds() - Self.milliseconds(self.retention)
        try await self.database.query(
            SQLStatement("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1", [.integer(cutoff)]))
        return total
    }

    /// Claims up to `size` events, publishes them and marks the confirmed ones; how many were claimed and how
    /// many published.
    ///
    /// - Throws: the first publishing error, after the others were marked or released.
    private func relayBatch(size: Int) async throws -> (claimed: Int, published: Int) {
        let claimed = try await self.claim(size)
        guard !claimed.isEmpty else { return (0, 0) }
        let outcomes = await self.bus.publish(claimed.map(\.event))
        var published: [Int64] = []
        var failed: [Int64] = []
        var firstError: (any Error)?
        for (row, outcome) in zip(claimed, outcomes) {
            switch outcome {
            case .success:
                published.append(row.seq)
            case .failure(let error):
                failed.append(row.seq)
                firstError = firstError ?? error
            }
        }
        let now = Timestamp.nowMilliseconds()
        try await self.database.transaction { [published, failed] transaction in
            try await Self.update(
                "published_at = $1, claimed_until = NULL", [.integer(now)], rows: published, in: transaction)
            try await Self.update("claimed_until = NULL", [], rows: failed, in: transaction)
        }
        if let firstError { throw firstError }
        return (claimed.count, published.count)
    }

    /// Takes the oldest unpublished events that no relay holds, leasing them for `claimLease`.
    private func claim(_ size: Int) async throws -> [Claimed] {
        let now = Timestamp.nowMilliseconds()
        let until = now + Self.milliseconds(self.claimLease)
        return try await self.database.transaction { transaction in
            // SQLite has one writer at a time; PostgreSQL and MariaDB (10.6 and later) skip the rows another relay
            // is claiming (the lease then keeps them from it until they are published).
            let lock = transaction.dialect == .sqlite ? "" : " FOR UPDATE SKIP LOCKED"
            let rows = try await transaction.query(
                SQLStatement(
                    """
                    SELECT seq, envelope FROM outbox
                    WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
                    ORDER BY seq LIMIT $2\(lock)
                    """,
                    [.integer(now), .integer(Int64(size))]))
            let claimed = try rows.map {
                Claimed(seq: try $0.integer("seq"), event: try EventEnvelope.parse(try $0.text("envelope")))
            }
            try await Self.update("claimed_until = $1", [.integer(until)], rows: claimed.map(\.seq), in: transaction)
            return claimed
        }
    }

    /// `UPDATE outbox SET <assignments> WHERE seq IN (rows)`; `values` are the assignments' parameters, from `$1`.
    private static func update(
        _ assignments: String, _ values: [SQLValue], rows: [Int64], in transaction: any SQLExecutor
    ) async throws {
        guard !rows.isEmpty else { return }
        let placeholders = rows.indices.map { "$\(values.count + $0 + 1)" }.joined(separator: ", ")
        try await transaction.query(
            SQLStatement(
                "UPDATE outbox SET \(assignments) WHERE seq IN (\(placeholders))", values + rows.map { .integer($0) }))
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
