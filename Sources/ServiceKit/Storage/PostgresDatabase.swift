import Logging
import NIOCore
import PostgresNIO

/// A service's PostgreSQL database: a PostgresNIO connection pool whose sessions use the service's own schema
/// (`search_path`), so that the four services can share one database without sharing tables.
public final class PostgresDatabase: SQLDatabase {
    public var dialect: SQLDialect { .postgres }
    /// The schema the service's tables live in.
    public let schema: String
    let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let logger: Logger

    /// Connects to the database at `url` (`postgres://user:password@host:port/database?sslmode=...`) with
    /// `schema` as the search path. The pool runs until `close()`.
    ///
    /// - Throws: `SQLError` with `.other` when the URL cannot be read.
    public init(url: String, schema: String, logger: Logger) throws {
        var configuration = try PostgresURL.parse(url)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.schema = schema
        self.logger = logger
        // Started at once (not scheduled), so that the pool is running before the first query asks it for a
        // connection: PostgresNIO warns about a lease before `run()`.
        self.runTask = Task.immediate { await client.run() }
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await Self.translatingErrors {
            try await Self.rows(try await self.client.query(statement.postgresQuery, logger: self.logger))
        }
    }

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.runTransaction(lock: false, body)
    }

    public func exclusiveTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.runTransaction(lock: true, body)
    }

    public func ping() async throws {
        try await self.query("SELECT 1")
    }

    public func close() async {
        self.runTask.cancel()
        await self.runTask.value
    }

    private func runTransaction<Result: Sendable>(
        lock: Bool,
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await Self.translatingErrors {
            try await self.client.withConnection { connection in
                let transaction = PostgresTransaction(connection: connection, logger: self.logger)
                try await transaction.run("BEGIN")
                do {
                    if lock {
                        // One lock per schema: hashtext gives the 32-bit key pg_advisory_xact_lock takes.
                        try await transaction.query(
                            SQLStatement("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(self.schema)]))
                    }
                    let result = try await body(transaction)
                    try await transaction.run("COMMIT")
                    return result
                } catch {
                    try? await transaction.run("ROLLBACK")
                    throw error
                }
            }
        }
    }

    static func rows(_ sequence: PostgresRowSequence) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for try await row in sequence {
            var columns: [String: SQLValue] = [:]
            for cell in row {
                columns[cell.columnName] = try Self.value(of: cell)
            }
            rows.append(SQLRow(columns: columns))
        }
        return rows
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return .integer(try cell.decode(Int64.self))
        case .float4, .float8:
            return .double(try cell.decode(Double.self))
        case .bool:
            return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default:
            return .text(try cell.decode(String.self))
        }
    }

    /// Runs `body`, turning PostgresNIO's errors into `SQLError`s (unique violations by SQLSTATE 23505).
    static func translatingErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as SQLError {
            throw error
        } catch let error as PSQLError {
            if error.serverInfo?[.sqlState] == "23505" {
                throw SQLError(.uniqueViolation, detail: "unique constraint", underlying: error)
            }
            if error.serverInfo == nil {
                throw SQLError(.unavailable, detail: "PostgreSQL \(error.code)", underlying: error)
            }
            throw SQLError(
                .other, detail: "PostgreSQL SQLSTATE \(error.serverInfo?[.sqlState] ?? "?")", underlying: error)
        }
    }
}

/// A connection inside `BEGIN` ... `COMMIT`.
struct PostgresTransaction: SQLExecutor {
    var dialect: SQLDialect { .postgres }
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await PostgresDatabase.translatingErrors {
            try await PostgresDatabase.rows(
                try await self.connection.query(statement.postgresQuery, logger: self.logger))
        }
    }

    func run(_ sql: String) async throws {
        try await self.query(SQLStatement(sql))
    }
}

extension SQLStatement {
    var postgresQuery: PostgresQuery {
        var bindings = PostgresBindings(capacity: self.binds.count)
        for value in self.binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .double(let double): bindings.append(double)
            case .text(let text): bindings.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: self.sql, binds: bindings)
    }
}
