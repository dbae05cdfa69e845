import ServiceKit

/// Every statement of `SQLInventoryStore`, for one dialect. Most are the SQL PostgreSQL, SQLite and MySQL all
/// accept; where they differ (row locks, `ON CONFLICT`, `RETURNING`) the dialect decides. MySQL has no
/// `UPDATE ... RETURNING` (MariaDB has `INSERT ... RETURNING` only since 10.5, MySQL none), so there a change that
/// returns something is the change and then a read of the row in the same transaction (`[SQLStatement]`, the rows
/// of the last are the answer).
struct InventorySQL: Sendable {
    let dialect: SQLDialect

    /// Appended to a `SELECT` whose rows the transaction goes on to change: PostgreSQL and MySQL (InnoDB) lock
    /// them (so concurrent reservations take turns on the stock they share); SQLite's `BEGIN IMMEDIATE` already
    /// runs one writer.
    private var forUpdate: String { self.dialect == .sqlite ? "" : " FOR UPDATE" }

    /// Ends an `INSERT` that leaves an existing row with the same key (`columns`) alone; on MySQL a no-op update.
    private func insertUnlessExists(key columns: [String]) -> String {
        guard self.dialect == .mysql else { return "ON CONFLICT (\(columns.joined(separator: ", "))) DO NOTHING" }
        return "ON DUPLICATE KEY UPDATE \(columns[0]) = \(columns[0])"
    }

    // MARK: Products

    static let productColumns = "sku, name, price, currency, attributes, created_at, updated_at"

    func insertProduct(_ values: [SQLValue]) -> SQLStatement {
        SQLStatement(
            "INSERT INTO products (\(Self.productColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)", values)
    }

    /// Updates a product; the last statement's rows are its SKU, none when there is no such product.
    func updateProduct(_ values: [SQLValue]) -> [SQLStatement] {
        let update = "UPDATE products SET name = $2, price = $3, currency = $4, attributes = $5, updated_at = $7"
        guard self.dialect == .mysql else { return [SQLStatement(update + " WHERE sku = $1 RETURNING sku", values)] }
        return [
            SQLStatement(update + " WHERE sku = $1", values),
            SQLStatement("SELECT sku FROM products WHERE sku = $1", [values[0]]),
        ]
    }

    func product(sku: String) -> SQLStatement {
        SQLStatement("SELECT \(Self.productColumns) FROM products WHERE sku = $1", [.text(sku)])
    }

    func products(after sku: String?, limit: Int) -> SQLStatement {
        guard let sku else {
            return SQLStatement(
                "SELECT \(Self.productColumns) FROM products ORDER BY sku LIMIT $1", [SQLValue(limit)])
        }
        return SQLStatement(
            "SELECT \(Self.productColumns) FROM products WHERE sku > $1 ORDER BY sku LIMIT $2",
            [.text(sku), SQLValue(limit)])
    }

    func existingSKUs(_ skus: [String]) -> SQLStatement {
        SQLStatement(
            "SELECT sku FROM products WHERE sku IN (\(Self.placeholders(skus.count, from: 1)))", skus.map(SQLValue.text)
        )
    }

    // MARK: Warehouses

    func insertWarehouse(_ warehouse: Warehouse) -> SQLStatement {
        SQLStatement(
            "INSERT INTO warehouses (code, name, location, created_at) VALUES ($1, $2, $3, $4)",
            [
                .text(warehouse.code), .text(warehouse.name), .text(warehouse.location),
                .integer(Timestamp.milliseconds(warehouse.createdAt)),
            ])
    }

    func warehouse(code: String) -> SQLStatement {
        SQLStatement("SELECT code, name, location, created_at FROM warehouses WHERE code = $1", [.text(code)])
    }

    func warehouses(after code: String?, limit: Int) -> SQLStatement {
        guard let code else {
            return SQLStatement(
                "SELECT code, name, location, created_at FROM warehouses ORDER BY code LIMIT $1", [SQLValue(limit)])
        }
        return SQLStatement(
            "SELECT code, name, location, created_at FROM warehouses WHERE code > $1 ORDER BY code LIMIT $2",
            [.text(code), SQLValue(limit)])
    }

    // MARK: Stock

    func stock(sku: String) -> SQLStatement {
        SQLStatement(
            "SELECT sku, warehouse, on_hand, reserved FROM stock WHERE sku = $1 ORDER BY warehouse", [.text(sku)])
    }

    /// The levels of `skus`, locked, in one order (SKU, warehouse) so that two transactions never wait on each
    /// other's rows crosswise.
    func lockStock(skus: [String]) -> SQLStatement {
        SQLStatement(
            """
            SELECT sku, warehouse, on_hand, reserved FROM stock
            WHERE sku IN (\(Self.placeholders(skus.count, from: 1))) ORDER BY sku, warehouse\(self.forUpdate)
            """,
            skus.map(SQLValue.text))
    }

    func lockLevel(sku: String, warehouse: String) -> SQLStatement {
        SQLStatement(
            "SELECT on_hand, reserved FROM stock WHERE sku = $1 AND warehouse = $2\(self.forUpdate)",
            [.text(sku), .text(warehouse)])
    }

    /// A level of zero for `sku` in `warehouse` unless there is one.
    func ensureLevel(sku: String, warehouse: String, now: Int64) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO stock (sku, warehouse, on_hand, reserved, updated_at) VALUES ($1, $2, 0, 0, $3)
            \(self.insertUnlessExists(key: ["sku", "warehouse"]))
            """,
            [.text(sku), .text(warehouse), .integer(now)])
    }

    /// Changes a level; the last statement's rows are the new `on_hand` and `reserved`.
    func changeLevel(sku: String, warehouse: String, onHand: Int64, reserved: Int64, now: Int64) -> [SQLStatement] {
        let update = """
            UPDATE stock SET on_hand = on_hand + $3, reserved = reserved + $4, updated_at = $5
            WHERE sku = $1 AND warehouse = $2
            """
        let binds: [SQLValue] = [.text(sku), .text(warehouse), .integer(onHand), .integer(reserved), .integer(now)]
        guard self.dialect == .mysql else { return [SQLStatement(update + " RETURNING on_hand, reserved", binds)] }
        return [
            SQLStatement(update, binds),
            SQLStatement(
                "SELECT on_hand, reserved FROM stock WHERE sku = $1 AND warehouse = $2",
                [.text(sku), .text(warehouse)]),
        ]
    }

    // MARK: Ledger

    static let ledgerColumns =
        "seq, sku, warehouse, on_hand_change, reserved_change, on_hand, reserved, reason, reference, created_at"

    /// Writes a ledger entry; the last statement's row is its `seq` (on MySQL the connection's `LAST_INSERT_ID()`).
    func insertLedgerEntry(_ values: [SQLValue]) -> [SQLStatement] {
        let insert = """
            INSERT INTO stock_ledger
                (sku, warehouse, on_hand_change, reserved_change, on_hand, reserved, reason, reference, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """
        guard self.dialect == .mysql else { return [SQLStatement(insert + " RETURNING seq", values)] }
        return [SQLStatement(insert, values), SQLStatement("SELECT LAST_INSERT_ID() AS seq")]
    }

    func ledger(sku: String?, warehouse: String?, after seq: Int64?, limit: Int) -> SQLStatement {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        func add(_ condition: String, _ value: SQLValue) {
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let sku { add("sku = ?", .text(sku)) }
        if let warehouse { add("warehouse = ?", .text(warehouse)) }
        if let seq { add("seq > ?", .integer(seq)) }
        binds.append(SQLValue(limit))
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return SQLStatement(
            "SELECT \(Self.ledgerColumns) FROM stock_ledger\(filter) ORDER BY seq LIMIT $\(binds.count)", binds)
    }

    func ledgerEntry(seq: Int64) -> SQLStatement {
        SQLStatement("SELECT \(Self.ledgerColumns) FROM stock_ledger WHERE seq = $1", [.integer(seq)])
    }

    // MARK: Reservations

    static let reservationColumns = "id, order_id, status, strategy, items, expires_at, created_at, updated_at"

    func insertReservation(_ values: [SQLValue]) -> SQLStatement {
        SQLStatement(
            "INSERT INTO reservations (\(Self.reservationColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", values)
    }

    func reservation(id: String, lock: Bool) -> SQLStatement {
        SQLStatement(
            "SELECT \(Self.reservationColumns) FROM reservations WHERE id = $1\(lock ? self.forUpdate : "")",
            [.text(id)])
    }

    func reservation(orderID: String) -> SQLStatement {
        SQLStatement("SELECT \(Self.reservationColumns) FROM reservations WHERE order_id = $1", [.text(orderID)])
    }

    func setReservationStatus(id: String, status: ReservationStatus, now: Int64) -> SQLStatement {
        SQLStatement(
            "UPDATE reservations SET status = $2, updated_at = $3 WHERE id = $1",
            [.text(id), .text(status.rawValue), .integer(now)])
    }

    func expiredReservations(now: Int64, limit: Int) -> SQLStatement {
        SQLStatement(
            "SELECT id FROM reservations WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
            [.integer(now), SQLValue(limit)])
    }

    func insertAllocation(reservationID: String, _ allocation: Allocation) -> SQLStatement {
        SQLStatement(
            "INSERT INTO reservation_allocations (reservation_id, sku, warehouse, quantity) VALUES ($1, $2, $3, $4)",
            [.text(reservationID), .text(allocation.sku), .text(allocation.warehouse), .integer(allocation.quantity)])
    }

    func allocations(reservationID: String) -> SQLStatement {
        SQLStatement(
            """
            SELECT sku, warehouse, quantity FROM reservation_allocations WHERE reservation_id = $1
            ORDER BY sku, warehouse
            """,
            [.text(reservationID)])
    }

    // MARK: WMS

    func insertWMSEvent(id: String, type: String, now: Int64) -> SQLStatement {
        SQLStatement(
            "INSERT INTO wms_events (id, type, received_at) VALUES ($1, $2, $3)",
            [.text(id), .text(type), .integer(now)])
    }

    func insertFulfilment(reservationID: String, body: String, now: Int64) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO wms_fulfilments (reservation_id, body, attempts, next_attempt_at, sent_at, created_at)
            VALUES ($1, $2, 0, $3, NULL, $3) \(self.insertUnlessExists(key: ["reservation_id"]))
            """,
            [.text(reservationID), .text(body), .integer(now)])
    }

    func dueFulfilments(now: Int64, limit: Int) -> SQLStatement {
        SQLStatement(
            """
            SELECT reservation_id, body, attempts FROM wms_fulfilments
            WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY created_at, reservation_id LIMIT $2
            """,
            [.integer(now), SQLValue(limit)])
    }

    func fulfilmentSent(reservationID: String, now: Int64) -> SQLStatement {
        SQLStatement(
            "UPDATE wms_fulfilments SET sent_at = $2 WHERE reservation_id = $1", [.text(reservationID), .integer(now)])
    }

    func fulfilmentFailed(reservationID: String, nextAttempt: Int64) -> SQLStatement {
        SQLStatement(
            "UPDATE wms_fulfilments SET attempts = attempts + 1, next_attempt_at = $2 WHERE reservation_id = $1",
            [.text(reservationID), .integer(nextAttempt)])
    }

    /// `$from, $from+1, ...`: `count` placeholders.
    private static func placeholders(_ count: Int, from first: Int) -> String {
        (first..<first + count).map { "$\($0)" }.joined(separator: ", ")
    }
}
