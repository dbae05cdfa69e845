import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// A service's SQLite database: one file, one connection whose statements and transactions take turns (SQLite
/// runs one writer at a time anyway). Transactions begin `IMMEDIATE`, taking the file's write lock at once, and
/// other processes wait for it (`busy_timeout`), so two processes never interleave a transaction.
///
/// The connection runs on a thread of its own: SQLite's calls block (and a busy wait sleeps), so they must not
/// take the threads of the shared pool that the event loops' other blocking work (password hashing) needs.
public final class SQLiteDatabase: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }
    /// The database file.
    public let path: String
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let mutex = AsyncMutex()

    private init(path: String, connection: SQLiteConnection, threadPool: NIOThreadPool) {
        self.path = path
        self.connection = connection
        self.threadPool = threadPool
    }

    /// Opens (creating it and its folder when missing) the database file at `path`, in WAL mode.
    ///
    /// - Throws: `SQLError` with `.unavailable` when the file cannot be opened.
    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabase {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await threadPool.shutdownGracefully()
            throw SQLError(.unavailable, detail: "cannot open the SQLite database", underlying: error)
        }
        let database = SQLiteDatabase(path: path, connection: connection, threadPool: threadPool)
        do {
            try await database.query("PRAGMA busy_timeout = 10000")
            try await database.query("PRAGMA journal_mode = WAL")
            try await database.query("PRAGMA foreign_keys = ON")
            return database
        } catch {
            await database.close()
            throw error
        }
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await self.mutex.withLock { try await self.run(statement) }
    }

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.mutex.withLock {
            _ = try await self.run("BEGIN IMMEDIATE")
            do {
                let result = try await body(SQLiteTransaction(database: self))
                _ = try await self.run("COMMIT")
                return result
            } catch {
                // A cancelled task's statements fail before they run (the thread pool checks for cancellation), so
                // the ROLLBACK runs in a task of its own: a cancelled transaction never stays open.
                _ = try? await Task { try await self.run("ROLLBACK") }.value
                throw error
            }
        }
    }

    public func exclusiveTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.transaction(body)
    }

    public func ping() async throws {
        try await self.query("SELECT 1")
    }

    public func close() async {
        try? await self.connection.close()
        try? await self.threadPool.shutdownGracefully()
    }

    /// Runs a statement on the connection without taking turns: for callers that hold the turn.
    @discardableResult
    fileprivate func run(_ statement: SQLStatement) async throws -> [SQLRow] {
        let binds = statement.binds.map(\.sqliteData)
        do {
            let rows = try await self.connection.query(Self.numberedParameters(statement.sql), binds)
            return rows.map { row in
                SQLRow(columns: Dictionary(row.columns.map { ($0.name, SQLValue($0.data)) }, uniquingKeysWith: { $1 }))
            }
        } catch let error as SQLiteError {
            switch error.reason {
            case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                throw SQLError(.uniqueViolation, detail: "unique constraint", underlying: error)
            case .busy, .busyTimeout, .locked, .cantOpen:
                throw SQLError(.unavailable, detail: "SQLite \(error.reason)", underlying: error)
            default:
                throw SQLError(.other, detail: "SQLite \(error.reason)", underlying: error)
            }
        }
    }

    /// `$1` → `?1`: SQLite's numbered parameters bind by number, whatever order they appear in.
    static func numberedParameters(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count)
        var previous: Character?
        for character in sql {
            if previous == "$", character.isNumber {
                result.removeLast()
                result.append("?")
            }
            result.append(character)
            previous = character
        }
        return result
    }
}

/// The statements of a transaction that holds the database's turn.
private struct SQLiteTransaction: SQLExecutor {
    var dialect: SQLDialect { .sqlite }
    let database: SQLiteDatabase

    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await self.database.run(statement)
    }
}

extension SQLValue {
    init(_ data: SQLiteData) {
        switch data {
        case .integer(let value): self = .integer(Int64(value))
        case .float(let value): self = .double(value)
        case .text(let value): self = .text(value)
        case .blob(let buffer): self = .text(String(buffer: buffer))
        case .null: self = .null
        }
    }

    var sqliteData: SQLiteData {
        switch self {
        case .null: return .null
        case .integer(let value): return .integer(Int(value))
        case .double(let value): return .float(value)
        case .text(let value): return .text(value)
        }
    }
}
