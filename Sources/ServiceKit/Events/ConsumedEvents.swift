/// The events a service's subscriptions have handled, so that a redelivered event (buses deliver at least once)
/// changes nothing twice: a handler records the event in the same transaction as its effect, and skips the
/// effect when the event was recorded before.
public enum ConsumedEvents {
    /// The migration that creates the service's `consumed_events` table; give it the version it has in the
    /// service's list.
    public static func migration(version: Int) -> Migration {
        Migration(
            version: version, name: "consumed_events",
            [
                """
                CREATE TABLE consumed_events (
                    consumer TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    consumed_at BIGINT NOT NULL,
                    PRIMARY KEY (consumer, event_id))
                """
            ])
    }

    /// Records that `consumer` (the subscription's name) handles `event`, inside the caller's transaction:
    /// `true` the first time, `false` for a redelivery, whose effect the caller then skips.
    public static func recordFirst(
        _ event: EventEnvelope, consumer: String, in transaction: any SQLExecutor
    ) async throws -> Bool {
        let inserted = try await transaction.query(
            SQLStatement(
                """
                INSERT INTO consumed_events (consumer, event_id, consumed_at) VALUES ($1, $2, $3)
                ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id
                """,
                [.text(consumer), .text(event.id), .integer(Timestamp.nowMilliseconds())]))
        return !inserted.isEmpty
    }
}
