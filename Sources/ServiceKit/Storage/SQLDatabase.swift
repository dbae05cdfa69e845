/// The SQL dialect behind a database, for the few statements that differ.
public enum SQLDialect: Sendable, Hashable {
    /// PostgreSQL through PostgresNIO.
    case postgres
    /// SQLite through SQLiteNIO.
    case sqlite
    /// MySQL (MariaDB) through MariaDB Connector/C.
    case mysql
}

/// Something that runs statements: a database, or a transaction in progress.
public protocol SQLExecutor: Sendable {
    /// The dialect the statements run in.
    var dialect: SQLDialect { get }

    /// Runs `statement` and returns its rows (none for statements without `RETURNING`).
    ///
    /// - Throws: `SQLError`: `.uniqueViolation` when a unique constraint refused the change, `.unavailable` when
    ///   the database cannot be reached, `.other` for the rest.
    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow]
}

extension SQLExecutor {
    /// The first row `statement` returns, if any.
    public func first(_ statement: SQLStatement) async throws -> SQLRow? {
        try await self.query(statement).first
    }

    /// Runs `statements` in order and returns the rows of the last: for a change and the read of its result where
    /// a dialect has no `RETURNING` (MySQL's `UPDATE`). Run it in a transaction when the read must see only that
    /// change.
    @discardableResult
    public func query(_ statements: [SQLStatement]) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for statement in statements {
            rows = try await self.query(statement)
        }
        return rows
    }
}

/// A service's database: PostgreSQL (in the service's own schema) or SQLite (a file of its own).
///
/// A service's store is written once against this protocol, in the SQL both databases accept (`$1` parameters,
/// `RETURNING`, `ON CONFLICT`, `BIGINT`/`TEXT` columns), and asks `dialect` for what differs.
public protocol SQLDatabase: SQLExecutor {
    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws.
    func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result

    /// Like `transaction`, but never at the same time as another exclusive transaction on the same database, in
    /// this process or another (an advisory lock on PostgreSQL, `BEGIN IMMEDIATE` on SQLite). For migrations and
    /// other one-at-a-time work such as creating the first signing key.
    func exclusiveTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result

    /// Checks that the database answers (`SELECT 1`), for readiness probes.
    func ping() async throws

    /// Closes the connections. The database must not be used afterwards.
    func close() async
}
