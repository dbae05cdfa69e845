import CMariaDB

/// One connection to a MySQL (MariaDB) server through MariaDB Connector/C's blocking API. Every method blocks the
/// calling thread: `MySQLDatabase` calls them only on its own thread pool, never on an event loop, and lends a
/// connection to one caller at a time (hence `@unchecked Sendable`).
final class MySQLConnection: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<MYSQL>
    /// Set when the connection failed and cannot be used again; the pool then closes it instead of keeping it.
    private(set) var isBroken = false
    /// How many statements ran to completion on this connection.
    private(set) var completedStatements = 0

    /// Connects to `url` with utf8mb4 and READ COMMITTED transactions (as PostgreSQL's default), giving up after
    /// `timeout` seconds to connect and `readTimeout` seconds waiting for an answer.
    ///
    /// - Throws: `MySQLError` from `connect` when the server cannot be reached or refuses the login.
    init(_ url: MySQLURL, timeout: UInt32, readTimeout: UInt32) throws {
        guard Self.libraryReady, let handle = mysql_init(nil) else {
            throw MySQLError(
                number: UInt32(CR_OUT_OF_MEMORY), sqlState: "HY000", message: "mysql_init failed", operation: "connect")
        }
        self.handle = handle
        var connectTimeout = timeout
        var readTimeoutValue = readTimeout
        var writeTimeout = readTimeout
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &readTimeoutValue)
        mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout)
        _ = "utf8mb4".withCString { mysql_options(handle, MYSQL_SET_CHARSET_NAME, $0) }
        let connected = mysql_real_connect(
            handle, url.host, url.user, url.password, url.database, UInt32(url.port), nil, 0)
        // On a throw from here on, `deinit` closes the handle.
        guard connected != nil else { throw self.connectionError("connect") }
        _ = try self.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", [])
    }

    deinit {
        mysql_close(self.handle)
    }

    /// `mysql_library_init` (`mysql_server_init`), which is not thread-safe, run once before any connection:
    /// `mysql_init` would otherwise run it on whichever pool threads get there first.
    private static let libraryReady: Bool = mysql_server_init(0, nil, nil) == 0

    /// Prepares `sql` (with `?` placeholders), binds `values`, runs it and returns its rows, with column names in
    /// lowercase. Marks the connection broken when the failure was the connection's.
    ///
    /// - Throws: `MySQLError` with the server's error.
    func execute(_ sql: String, _ values: [SQLValue]) throws -> [SQLRow] {
        do {
            let rows = try self.run(sql, values)
            self.completedStatements += 1
            return rows
        } catch let error as MySQLError {
            if error.isConnectionFailure { self.isBroken = true }
            throw error
        }
    }

    private func run(_ sql: String, _ values: [SQLValue]) throws -> [SQLRow] {
        guard let statement = mysql_stmt_init(self.handle) else { throw self.connectionError("prepare") }
        defer { mysql_stmt_close(statement) }
        let utf8 = Array(sql.utf8)
        let prepared = utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { mysql_stmt_prepare(statement, $0.baseAddress, UInt(bytes.count)) }
        }
        guard prepared == 0 else { throw Self.statementError(statement, "prepare") }
        guard Int(mysql_stmt_param_count(statement)) == values.count else {
            throw MySQLError(
                number: UInt32(CR_PARAMS_NOT_BOUND), sqlState: "HY000",
                message: "the statement takes \(mysql_stmt_param_count(statement)) parameters, got \(values.count)",
                operation: "bind")
        }
        let parameters = MySQLBindings.parameters(values)
        defer { parameters.deallocate() }
        if !values.isEmpty, mysql_stmt_bind_param(statement, parameters.binds) != 0 {
            throw Self.statementError(statement, "bind")
        }
        guard mysql_stmt_execute(statement) == 0 else { throw Self.statementError(statement, "execute") }
        guard let metadata = mysql_stmt_result_metadata(statement) else { return [] }
        defer { mysql_free_result(metadata) }
        var updateMaxLength: my_bool = 1
        _ = mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength)
        guard mysql_stmt_store_result(statement) == 0 else { throw Self.statementError(statement, "fetch") }
        let fields = UnsafeBufferPointer(start: mysql_fetch_fields(metadata), count: Int(mysql_num_fields(metadata)))
        let names = fields.map { String(cString: $0.name).lowercased() }
        let results = MySQLBindings.results(fields)
        defer { results.deallocate() }
        guard mysql_stmt_bind_result(statement, results.binds) == 0 else {
            throw Self.statementError(statement, "fetch")
        }
        var rows: [SQLRow] = []
        while true {
            let status = mysql_stmt_fetch(statement)
            if status == MYSQL_NO_DATA { break }
            guard status == 0 || status == MYSQL_DATA_TRUNCATED else { throw Self.statementError(statement, "fetch") }
            rows.append(results.row(names: names))
        }
        return rows
    }

    private func connectionError(_ operation: String) -> MySQLError {
        MySQLError(
            number: mysql_errno(self.handle), sqlState: String(cString: mysql_sqlstate(self.handle)),
            message: String(cString: mysql_error(self.handle)), operation: operation)
    }

    private static func statementError(_ statement: UnsafeMutablePointer<MYSQL_STMT>, _ operation: String)
        -> MySQLError
    {
        MySQLError(
            number: mysql_stmt_errno(statement), sqlState: String(cString: mysql_stmt_sqlstate(statement)),
            message: String(cString: mysql_stmt_error(statement)), operation: operation)
    }
}
