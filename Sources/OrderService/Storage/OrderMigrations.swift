import ServiceKit

/// The order service's tables, in its own schema (PostgreSQL) or file (SQLite). Orders are documents (`jsonb` on
/// PostgreSQL, JSON text checked by `json_valid` on SQLite) beside the few columns the lists query, indexed.
enum OrderMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "orders, idempotency keys, processed events") { dialect in
            let document =
                dialect == .postgres ? "document JSONB NOT NULL" : "document TEXT NOT NULL CHECK (json_valid(document))"
            return [
                """
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    reservation_id TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    \(document))
                """,
                "CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC)",
                "CREATE INDEX orders_by_user_status ON orders (user_id, status, created_at DESC, id DESC)",
                "CREATE INDEX orders_by_reservation ON orders (reservation_id)",
                """
                CREATE TABLE idempotency_keys (
                    user_id TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    response_status BIGINT,
                    response_body TEXT,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (user_id, idempotency_key))
                """,
                "CREATE TABLE processed_events (id TEXT PRIMARY KEY, processed_at BIGINT NOT NULL)",
            ]
        },
        Outbox.migration(version: 2),
        Outbox.claimMigration(version: 3),
    ]
}
