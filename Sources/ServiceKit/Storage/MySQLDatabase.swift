import Logging
import NIOPosix

/// A service's MySQL (MariaDB) database, through MariaDB Connector/C.
///
/// Connector/C's calls block, so they run on a thread pool of this database's own, never on an event loop or the
/// concurrency pool; the pool has one thread per connection, so a transaction waiting on a row lock never keeps
/// the transaction holding that lock from running its next statement. (Connector/C's non-blocking calls,
/// `mysql_*_start`/`_cont`, would need readiness events for a socket that the library reads itself; SwiftNIO offers
/// readiness only through a `Channel` that owns and reads the socket, so they would need a selector thread anyway.) Statements are prepared with bound
/// parameters (the services' `$n` become `?`). A connection that fails is closed and the idle ones with it; a
/// statement whose connection failed before it ran (while preparing, or at `START TRANSACTION`) is tried once more
/// on a new connection, so the first use after a server restart succeeds.
public final class MySQLDatabase: SQLDatabase {
    public var dialect: SQLDialect { .mysql }
    /// Where the database is.
    public let url: MySQLURL
    private let pool: MySQLConnectionPool
    private let threads: NIOThreadPool
    private let logger: Logger

    /// A database at `url` (`mysql://user:password@host:port/database`) with up to `maximumConnections`
    /// connections, opened on first use.
    ///
    /// - Throws: `SQLError` with `.other` when the URL cannot be read.
    public init(url: String, maximumConnections: Int = 16, logger: Logger) throws {
        self.url = try MySQLURL(url)
        self.pool = MySQLConnectionPool(maximum: maximumConnections)
        self.threads = NIOThreadPool(numberOfThreads: maximumConnections)
        self.threads.start()
        self.logger = logger
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        let placeholders = MySQLPlaceholders(rewriting: statement.sql)
        let binds = try placeholders.arrange(statement.binds)
        return try await self.withConnection(retryingFirstStatement: true) { connection in
            try await self.run(placeholders.sql, binds, on: connection)
        }
    }

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.withConnection(retryingFirstStatement: true) { connection in
            try await self.runTransaction(on: connection, body)
        }
    }

    /// A transaction under the named lock `acme:<database>` (`GET_LOCK`, held by the connection until
    /// `RELEASE_LOCK`), so that two processes never run one at the same time. MySQL commits each DDL statement on
    /// its own, so a migration that fails halfway keeps its earlier tables.
    public func exclusiveTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.withConnection(retryingFirstStatement: true) { connection in
            let locked = try await self.run(
                "SELECT GET_LOCK(CONCAT('acme:', DATABASE()), 60) AS locked", [], on: connection)
            guard locked.first?["locked"].integer == 1 else {
                throw SQLError(.unavailable, detail: "the exclusive lock was not granted within 60 seconds")
            }
            do {
                let result = try await self.runTransaction(on: connection, body)
                try await self.run("SELECT RELEASE_LOCK(CONCAT('acme:', DATABASE()))", [], on: connection)
                return result
            } catch {
                _ = try? await self.run("SELECT RELEASE_LOCK(CONCAT('acme:', DATABASE()))", [], on: connection)
                throw error
            }
        }
    }

    public func ping() async throws {
        try await self.query("SELECT 1")
    }

    public func close() async {
        let idle = self.pool.drain()
        try? await self.threads.runIfActive { withExtendedLifetime(idle) {} }
        try? await self.threads.shutdownGracefully()
    }

    // MARK: Connections

    /// Runs `body` with a connection lent by the pool (opened on the thread pool when none is idle). When the
    /// connection fails before `body`'s first statement ran and `retryingFirstStatement` is set, `body` runs once
    /// more on a new connection.
    private func withConnection<Result: Sendable>(
        retryingFirstStatement: Bool, _ body: (MySQLConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await self.leaseConnection()
        let completedBefore = connection.completedStatements
        do {
            let result = try await body(connection)
            self.giveBack(connection)
            return result
        } catch let error as SQLError
            where retryingFirstStatement && connection.completedStatements == completedBefore
            && Self.failedBeforeRunning(error)
        {
            self.giveBack(connection)
            self.logger.info("mysql connection lost, retrying on a new one", metadata: ["error": "\(error)"])
            return try await self.withConnection(retryingFirstStatement: false, body)
        } catch {
            self.giveBack(connection)
            throw error
        }
    }

    private func leaseConnection() async throws -> MySQLConnection {
        if let idle = await self.pool.lease() { return idle }
        do {
            let url = self.url
            return try await self.threads.runIfActive {
                try MySQLConnection(url, timeout: 10, readTimeout: 120)
            }
        } catch {
            self.giveBack(nil)
            throw Self.translated(error)
        }
    }

    private func giveBack(_ connection: MySQLConnection?) {
        let closing = self.pool.giveBack(connection)
        guard !closing.isEmpty else { return }
        // Closing sends a goodbye on the socket: done on the thread pool like every other blocking call.
        self.threads.submit { _ in withExtendedLifetime(closing) {} }
    }

    /// A connection failure while preparing the first statement: nothing reached the server, so running it again is
    /// safe.
    private static func failedBeforeRunning(_ error: SQLError) -> Bool {
        guard error.code == .unavailable, let cause = error.underlying as? MySQLError else { return false }
        return cause.operation == "prepare"
    }

    // MARK: Statements

    /// Runs `sql` (with `?` placeholders) on `connection` on the thread pool.
    @discardableResult
    fileprivate func run(_ sql: String, _ binds: [SQLValue], on connection: MySQLConnection) async throws
        -> [SQLRow]
    {
        do {
            return try await self.threads.runIfActive { try connection.execute(sql, binds) }
        } catch {
            throw Self.translated(error)
        }
    }

    private func runTransaction<Result: Sendable>(
        on connection: MySQLConnection, _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await self.run("START TRANSACTION", [], on: connection)
        do {
            let result = try await body(MySQLTransaction(database: self, connection: connection))
            try await self.run("COMMIT", [], on: connection)
            return result
        } catch {
            if !connection.isBroken {
                _ = try? await self.run("ROLLBACK", [], on: connection)
            }
            throw error
        }
    }

    private static func translated(_ error: any Error) -> any Error {
        if let error = error as? MySQLError { return error.sqlError }
        if error is NIOThreadPoolError.ThreadPoolInactive {
            return SQLError(.unavailable, detail: "the MySQL database is closed")
        }
        return error
    }

    /// The statements of one transaction, on the connection it holds.
    private struct MySQLTransaction: SQLExecutor {
        let database: MySQLDatabase
        let connection: MySQLConnection

        var dialect: SQLDialect { .mysql }

        @discardableResult
        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            let placeholders = MySQLPlaceholders(rewriting: statement.sql)
            return try await self.database.run(
                placeholders.sql, try placeholders.arrange(statement.binds), on: self.connection)
        }
    }
}
