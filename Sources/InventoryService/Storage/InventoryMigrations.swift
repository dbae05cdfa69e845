import ServiceKit

/// The inventory service's tables, in its own schema (PostgreSQL) or file (SQLite). Counts are `BIGINT`, times
/// milliseconds since 1970, documents (attributes, items, fulfilment bodies) JSON text.
enum InventoryMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "products, warehouses, stock, ledger, reservations, wms") { dialect in
            let sequence = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            return [
                """
                CREATE TABLE products (
                    sku TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    price BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    attributes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE warehouses (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    location TEXT NOT NULL,
                    created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE stock (
                    sku TEXT NOT NULL REFERENCES products (sku),
                    warehouse TEXT NOT NULL REFERENCES warehouses (code),
                    on_hand BIGINT NOT NULL,
                    reserved BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (sku, warehouse),
                    CHECK (reserved >= 0 AND on_hand >= reserved))
                """,
                """
                CREATE TABLE stock_ledger (
                    seq \(sequence),
                    sku TEXT NOT NULL,
                    warehouse TEXT NOT NULL,
                    on_hand_change BIGINT NOT NULL,
                    reserved_change BIGINT NOT NULL,
                    on_hand BIGINT NOT NULL,
                    reserved BIGINT NOT NULL,
                    reason TEXT NOT NULL,
                    reference TEXT,
                    created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX stock_ledger_by_sku ON stock_ledger (sku, warehouse, seq)",
                """
                CREATE TABLE reservations (
                    id TEXT PRIMARY KEY,
                    order_id TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    items TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX reservations_expiring ON reservations (status, expires_at)",
                """
                CREATE TABLE reservation_allocations (
                    reservation_id TEXT NOT NULL REFERENCES reservations (id),
                    sku TEXT NOT NULL,
                    warehouse TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    PRIMARY KEY (reservation_id, sku, warehouse))
                """,
                """
                CREATE TABLE wms_events (
                    id TEXT PRIMARY KEY,
                    type TEXT NOT NULL,
                    received_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE wms_fulfilments (
                    reservation_id TEXT PRIMARY KEY,
                    body TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    next_attempt_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX wms_fulfilments_due ON wms_fulfilments (sent_at, next_attempt_at)",
            ]
        },
        Outbox.migration(version: 2),
    ]
}
