/// One versioned change to a service's tables. Versions start at 1 and never change meaning once released: a
/// later change is a new migration.
public struct Migration: Sendable {
    /// The migration's number; migrations run in ascending order.
    public let version: Int
    /// A short name, recorded beside the version and checked on every start.
    public let name: String
    /// The statements for a dialect, run in one transaction.
    public let statements: @Sendable (SQLDialect) -> [String]

    /// A migration whose statements differ between PostgreSQL and SQLite.
    public init(version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// A migration whose statements both databases accept.
    public init(version: Int, name: String, _ statements: [String]) {
        self.init(version: version, name: name, statements: { _ in statements })
    }
}

/// Applies a service's migrations at start: in one exclusive transaction (see
/// `SQLDatabase.exclusiveTransaction`), so two processes starting at once apply each migration once, and a second
/// run finds nothing to do. Each service records what it applied in its own `schema_migrations` table, in its own
/// schema on PostgreSQL.
public enum MigrationRunner {
    /// Applies the migrations `database` has not recorded yet and returns their versions.
    ///
    /// - Throws: `SQLError` with `.migrationMismatch` when a recorded version has another name than the code's,
    ///   or when the database records a version the code does not know (a newer release ran on it); the driver's
    ///   error when a statement fails (and then nothing of that run is kept).
    @discardableResult
    public static func migrate(_ database: any SQLDatabase, migrations: [Migration]) async throws -> [Int] {
        let ordered = migrations.sorted { $0.version < $1.version }
        let schema = (database as? PostgresDatabase)?.schema
        return try await database.exclusiveTransaction { transaction in
            if let schema {
                try await transaction.query(SQLStatement("CREATE SCHEMA IF NOT EXISTS \(Self.quoted(schema))"))
            }
            try await transaction.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """)
            var recorded: [Int: String] = [:]
            for row in try await transaction.query("SELECT version, name FROM schema_migrations") {
                recorded[Int(try row.integer("version"))] = try row.text("name")
            }
            let known = Set(ordered.map(\.version))
            if let unknown = recorded.keys.sorted().first(where: { !known.contains($0) }) {
                throw SQLError(
                    .migrationMismatch, detail: "the database has migration \(unknown), unknown to this code")
            }
            var applied: [Int] = []
            for migration in ordered {
                if let name = recorded[migration.version] {
                    guard name == migration.name else {
                        throw SQLError(
                            .migrationMismatch,
                            detail: "migration \(migration.version) is \"\(name)\" in the database, "
                                + "\"\(migration.name)\" in the code")
                    }
                    continue
                }
                for statement in migration.statements(transaction.dialect) {
                    try await transaction.query(SQLStatement(statement))
                }
                try await transaction.query(
                    SQLStatement(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        [
                            .integer(Int64(migration.version)), .text(migration.name),
                            .integer(Timestamp.nowMilliseconds()),
                        ]
                    ))
                applied.append(migration.version)
            }
            return applied
        }
    }

    /// An identifier in double quotes, for the schema name (which comes from the code, never from a request).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
