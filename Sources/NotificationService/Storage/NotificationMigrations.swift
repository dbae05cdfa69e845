import ServiceKit

/// The notification service's tables: preferences, the delivery log (one row per event and channel, unique, so
/// that a redelivered event sends nothing twice) and each delivery's attempts, and the owner of each order seen
/// (`shipment.dispatched` names only the order). Times are milliseconds since 1970,
/// lists JSON text.
enum NotificationMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "preferences, deliveries, delivery attempts, order owners") { dialect in
            let sequence = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            return [
                """
                CREATE TABLE notification_preferences (
                    user_id TEXT PRIMARY KEY,
                    email TEXT,
                    phone TEXT,
                    push_tokens TEXT NOT NULL,
                    channels TEXT NOT NULL,
                    name TEXT,
                    updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE deliveries (
                    seq \(sequence),
                    id TEXT NOT NULL UNIQUE,
                    event_id TEXT NOT NULL,
                    event_type TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    recipients TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    status TEXT NOT NULL,
                    provider_message_id TEXT,
                    error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (event_id, channel))
                """,
                "CREATE INDEX deliveries_by_user ON deliveries (user_id, seq)",
                """
                CREATE TABLE delivery_attempts (
                    delivery_id TEXT NOT NULL,
                    number BIGINT NOT NULL,
                    outcome TEXT NOT NULL,
                    error TEXT,
                    at BIGINT NOT NULL,
                    PRIMARY KEY (delivery_id, number))
                """,
                """
                CREATE TABLE order_owners (
                    order_id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    created_at BIGINT NOT NULL)
                """,
            ]
        }
    ]
}
