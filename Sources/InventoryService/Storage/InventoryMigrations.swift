import ServiceKit

/// The inventory service's tables, in its own schema (PostgreSQL), database (MySQL) or file (SQLite). Counts are
/// `BIGINT`, times milliseconds since 1970, documents (attributes, items, fulfilment bodies) JSON text. Key and
/// indexed text columns are `dialect.keyText` (`VARCHAR` on MySQL, which indexes no `TEXT`).
enum InventoryMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "products, warehouses, stock, ledger, reservations, wms") { dialect in
            let key = dialect.keyText
            let options = dialect.tableOptions
            return [
                """
                CREATE TABLE products (
                    sku \(key) PRIMARY KEY,
                    name TEXT NOT NULL,
                    price BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    attributes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)\(options)
                """,
                """
                CREATE TABLE warehouses (
                    code \(key) PRIMARY KEY,
                    name TEXT NOT NULL,
                    location TEXT NOT NULL,
                    created_at BIGINT NOT NULL)\(options)
                """,
                """
                CREATE TABLE stock (
                    sku \(key) NOT NULL REFERENCES products (sku),
                    warehouse \(key) NOT NULL REFERENCES warehouses (code),
                    on_hand BIGINT NOT NULL,
                    reserved BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (sku, warehouse),
                    CHECK (reserved >= 0 AND on_hand >= reserved))\(options)
                """,
                """
                CREATE TABLE stock_ledger (
                    seq \(dialect.sequencePrimaryKey),
                    sku \(key) NOT NULL,
                    warehouse \(key) NOT NULL,
                    on_hand_change BIGINT NOT NULL,
                    reserved_change BIGINT NOT NULL,
                    on_hand BIGINT NOT NULL,
                    reserved BIGINT NOT NULL,
                    reason TEXT NOT NULL,
                    reference TEXT,
                    created_at BIGINT NOT NULL)\(options)
                """,
                "CREATE INDEX stock_ledger_by_sku ON stock_ledger (sku, warehouse, seq)",
                """
                CREATE TABLE reservations (
                    id \(key) PRIMARY KEY,
                    order_id \(key) NOT NULL UNIQUE,
                    status \(key) NOT NULL,
                    strategy TEXT NOT NULL,
                    items TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)\(options)
                """,
                "CREATE INDEX reservations_expiring ON reservations (status, expires_at)",
                """
                CREATE TABLE reservation_allocations (
                    reservation_id \(key) NOT NULL REFERENCES reservations (id),
                    sku \(key) NOT NULL,
                    warehouse \(key) NOT NULL,
                    quantity BIGINT NOT NULL,
                    PRIMARY KEY (reservation_id, sku, warehouse))\(options)
                """,
                """
                CREATE TABLE wms_events (
                    id \(key) PRIMARY KEY,
                    type TEXT NOT NULL,
                    received_at BIGINT NOT NULL)\(options)
                """,
                """
                CREATE TABLE wms_fulfilments (
                    reservation_id \(key) PRIMARY KEY,
                    body TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    next_attempt_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    created_at BIGINT NOT NULL)\(options)
                """,
                "CREATE INDEX wms_fulfilments_due ON wms_fulfilments (sent_at, next_attempt_at)",
            ]
        },
        Outbox.migration(version: 2),
        Outbox.claimMigration(version: 3),
    ]
}
