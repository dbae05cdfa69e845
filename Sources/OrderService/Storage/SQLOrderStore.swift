import ServiceKit

/// `OrderStore` on a `SQLDatabase`: the same statements on PostgreSQL and SQLite, except that the document is
/// cast to and from `jsonb` on PostgreSQL.
public struct SQLOrderStore: OrderStore {
    /// The database.
    public let database: any SQLDatabase

    /// A store on `database`; call `migrate()` before use.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Applies the service's migrations.
    public func migrate() async throws {
        try await MigrationRunner.migrate(self.database, migrations: OrderMigrations.all)
    }

    public func createOrder(
        _ order: Order, event: EventEnvelope, idempotency: IdempotencyKey?, answer: String
    ) async throws {
        let document = try OrderDocument.encode(order)
        try await self.database.transaction { transaction in
            try await transaction.query(
                SQLStatement(
                    """
                    INSERT INTO orders (id, user_id, status, reservation_id, created_at, updated_at, document)
                    VALUES ($1, $2, $3, $4, $5, $6, \(Self.documentParameter(7, transaction.dialect)))
                    """,
                    [
                        .text(order.id), .text(order.userId), .text(order.status.rawValue),
                        SQLValue(order.reservationId), .integer(OrderTime.milliseconds(order.createdAt)),
                        .integer(OrderTime.milliseconds(order.updatedAt)), .text(document),
                    ]))
            try await Outbox.enqueue(event, in: transaction)
            if let idempotency {
                try await transaction.query(
                    SQLStatement(
                        """
                        UPDATE idempotency_keys SET response_status = 201, response_body = $3
                        WHERE user_id = $1 AND idempotency_key = $2
                        """,
                        [.text(idempotency.userID), .text(idempotency.key), .text(answer)]))
            }
        }
    }

    public func order(id: String) async throws -> Order? {
        let sql = "SELECT \(Self.documentColumn(self.database.dialect)) FROM orders WHERE id = $1"
        return try await self.database.first(SQLStatement(sql, [.text(id)])).map(Self.order)
    }

    public func orders(
        userID: String, status: OrderStatus?, after position: OrderPosition?, limit: Int
    ) async throws -> [Order] {
        var conditions = ["user_id = $1"]
        var binds: [SQLValue] = [.text(userID)]
        if let status {
            binds.append(.text(status.rawValue))
            conditions.append("status = $\(binds.count)")
        }
        if let position {
            binds.append(.integer(position.createdAt))
            let time = binds.count
            binds.append(.text(position.id))
            conditions.append("(created_at < $\(time) OR (created_at = $\(time) AND id < $\(binds.count)))")
        }
        binds.append(SQLValue(limit))
        let sql = """
            SELECT \(Self.documentColumn(self.database.dialect)) FROM orders
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id DESC LIMIT $\(binds.count)
            """
        return try await self.database.query(SQLStatement(sql, binds)).map(Self.order)
    }

    public func transition(id: String, to status: OrderStatus, event: EventEnvelope?) async throws -> OrderTransition {
        try await self.database.transaction { transaction in
            try await Self.transition(id: id, to: status, event: event, in: transaction)
        }
    }

    public func transition(
        id: String, to status: OrderStatus, consuming eventID: String
    ) async throws -> OrderTransition? {
        try await self.database.transaction { transaction in
            let recorded = try await transaction.query(
                SQLStatement(
                    """
                    INSERT INTO processed_events (id, processed_at) VALUES ($1, $2)
                    ON CONFLICT DO NOTHING RETURNING id
                    """,
                    [.text(eventID), .integer(Timestamp.nowMilliseconds())]))
            guard !recorded.isEmpty else { return nil }
            return try await Self.transition(id: id, to: status, event: nil, in: transaction)
        }
    }

    public func claim(
        _ key: IdempotencyKey, orderID: String, abandonedAfterMilliseconds: Int64
    ) async throws -> IdempotencyClaim {
        let now = Timestamp.nowMilliseconds()
        return try await self.database.transaction { transaction in
            let inserted = try await transaction.query(
                SQLStatement(
                    """
                    INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, order_id, created_at)
                    VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING order_id
                    """,
                    [.text(key.userID), .text(key.key), .text(key.fingerprint), .text(orderID), .integer(now)]))
            if !inserted.isEmpty { return .claimed(orderID: orderID) }
            let lock = transaction.dialect == .postgres ? " FOR UPDATE" : ""
            guard
                let row = try await transaction.first(
                    SQLStatement(
                        """
                        SELECT fingerprint, order_id, response_status, response_body, created_at FROM idempotency_keys
                        WHERE user_id = $1 AND idempotency_key = $2\(lock)
                        """,
                        [.text(key.userID), .text(key.key)]))
            else {
                // Released between the insert and the select: the caller may simply retry.
                return .inProgress
            }
            guard try row.text("fingerprint") == key.fingerprint else { return .mismatch }
            if let status = row["response_status"].integer, let body = row["response_body"].text {
                return .completed(status: Int(status), body: body)
            }
            guard try row.integer("created_at") < now - abandonedAfterMilliseconds else { return .inProgress }
            try await transaction.query(
                SQLStatement(
                    "UPDATE idempotency_keys SET created_at = $3 WHERE user_id = $1 AND idempotency_key = $2",
                    [.text(key.userID), .text(key.key), .integer(now)]))
            return .claimed(orderID: try row.text("order_id"))
        }
    }

    public func releaseClaim(_ key: IdempotencyKey) async throws {
        try await self.database.query(
            SQLStatement(
                """
                DELETE FROM idempotency_keys
                WHERE user_id = $1 AND idempotency_key = $2 AND response_status IS NULL
                """,
                [.text(key.userID), .text(key.key)]))
    }

    public func ping() async throws {
        try await self.database.ping()
    }

    /// Reads the order (locking its row on PostgreSQL), and moves it when its state allows.
    private static func transition(
        id: String, to status: OrderStatus, event: EventEnvelope?, in transaction: any SQLExecutor
    ) async throws -> OrderTransition {
        let lock = transaction.dialect == .postgres ? " FOR UPDATE" : ""
        guard
            let row = try await transaction.first(
                SQLStatement(
                    "SELECT \(Self.documentColumn(transaction.dialect)) FROM orders WHERE id = $1\(lock)",
                    [.text(id)]))
        else { return .notFound }
        var order = try Self.order(row)
        guard order.status.canMove(to: status) else { return .refused(order) }
        order.status = status
        order.updatedAt = OrderTime.now()
        try await transaction.query(
            SQLStatement(
                """
                UPDATE orders
                SET status = $2, updated_at = $3, document = \(Self.documentParameter(4, transaction.dialect))
                WHERE id = $1
                """,
                [
                    .text(id), .text(status.rawValue), .integer(OrderTime.milliseconds(order.updatedAt)),
                    .text(try OrderDocument.encode(order)),
                ]))
        if let event { try await Outbox.enqueue(event, in: transaction) }
        return .moved(order)
    }

    /// The document column, as text.
    private static func documentColumn(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? "document::text AS document" : "document"
    }

    /// Parameter `number` as a document: `jsonb` on PostgreSQL, minified JSON on SQLite.
    private static func documentParameter(_ number: Int, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? "$\(number)::jsonb" : "json($\(number))"
    }

    private static func order(_ row: SQLRow) throws -> Order {
        try OrderDocument.decode(try row.text("document"))
    }
}
