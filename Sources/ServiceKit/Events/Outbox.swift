import Foundation

/// The outbox: events written in the same transaction as the change they announce, so that an event leaves
/// exactly when its change is committed, and relayed to the bus afterwards by `OutboxRelay`.
public enum Outbox {
    /// The migration that creates the service's `outbox` table; give it the version it has in the service's list.
    public static func migration(version: Int) -> Migration {
        Migration(version: version, name: "outbox") { dialect in
            [
                """
                CREATE TABLE outbox (
                    seq \(dialect.sequencePrimaryKey),
                    id \(dialect.keyText) NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    envelope TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    published_at BIGINT)\(dialect.tableOptions)
                """,
                "CREATE INDEX outbox_unpublished ON outbox (published_at, seq)",
            ]
        }
    }

    /// The migration that adds the relays' claim lease (`claimed_until`, milliseconds since 1970): a relay claims a
    /// batch in a short transaction and publishes it after the commit, and no other relay takes those rows until
    /// the lease runs out (the relay stopped) or they are marked published. Give it the version after
    /// `migration(version:)`'s in the service's list.
    public static func claimMigration(version: Int) -> Migration {
        Migration(version: version, name: "outbox_claims", ["ALTER TABLE outbox ADD COLUMN claimed_until BIGINT"])
    }

    /// Adds `event` to the outbox inside the caller's transaction.
    public static func enqueue(_ event: EventEnvelope, in transaction: any SQLExecutor) async throws {
        try await transaction.query(
            SQLStatement(
                "INSERT INTO outbox (id, type, envelope, created_at) VALUES ($1, $2, $3, $4)",
                [
                    .text(event.id), .text(event.type), .text(try event.jsonText()),
                    .integer(Timestamp.nowMilliseconds()),
                ]
            ))
    }
}
