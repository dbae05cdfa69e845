import ServiceKit
import ServiceKitTesting
import Testing

/// The MySQL client against the private MariaDB of `make test` (`MYSQL_URL`).
@Suite(.enabled(if: ServiceTestEnvironment.mysqlTestsRun, Comment(rawValue: ServiceTestEnvironment.mysqlMissing)))
struct MySQLDatabaseTests {
    @Test func valuesRoundTripThroughBoundParameters() async throws {
        try await TestDatabase.with(.mysql) { database, _ in
            try await database.query(
                """
                CREATE TABLE things (id VARCHAR(191) PRIMARY KEY, n BIGINT, x DOUBLE, note TEXT, d DECIMAL(10, 2))
                ENGINE=InnoDB
                """)
            let text = "Grüße, 'quoted' \"and\" \\ $1 — 🚚"
            try await database.query(
                SQLStatement(
                    "INSERT INTO things (id, n, x, note, d) VALUES ($1, $2, $3, $4, $5)",
                    [.text("a"), .integer(Int64.min), .double(2.5), .text(text), .double(12.25)]))
            try await database.query(
                SQLStatement("INSERT INTO things (id, n, x, note) VALUES ($1, $2, $3, $4)", ["b", nil, nil, ""]))
            let rows = try await database.query(
                SQLStatement("SELECT id, n, x, note, d FROM things WHERE id IN ($1, $2) ORDER BY id", ["a", "b"]))
            #expect(rows.count == 2)
            #expect(rows[0]["n"] == .integer(Int64.min))
            #expect(rows[0]["x"] == .double(2.5))
            #expect(rows[0]["note"] == .text(text))
            #expect(rows[0]["d"] == .double(12.25))
            #expect(rows[1]["n"] == .null)
            #expect(rows[1]["note"] == .text(""))
            #expect(rows[1]["d"] == .null)
            let limited = try await database.query(SQLStatement("SELECT id FROM things ORDER BY id LIMIT $1", [1]))
            #expect(try limited.map { try $0.text("id") } == ["a"])
        }
    }

    @Test func aDuplicateKeyIsAUniqueViolationCarryingTheServersMessage() async throws {
        try await TestDatabase.with(.mysql) { database, _ in
            try await database.query("CREATE TABLE keys_ (id VARCHAR(191) PRIMARY KEY) ENGINE=InnoDB")
            try await database.query(SQLStatement("INSERT INTO keys_ (id) VALUES ($1)", ["k"]))
            let error = await #expect(throws: SQLError.self) {
                try await database.query(SQLStatement("INSERT INTO keys_ (id) VALUES ($1)", ["k"]))
            }
            #expect(error?.code == .uniqueViolation)
            let server = try #require(error?.underlying as? MySQLError)
            #expect(server.number == 1062)
            #expect(server.sqlState == "23000")
            #expect(server.message.contains("Duplicate entry"))
            #expect(!"\(error!)".contains("Duplicate entry"))
            let syntax = await #expect(throws: SQLError.self) { try await database.query("SELEKT 1") }
            #expect(syntax?.code == .other)
            #expect((syntax?.underlying as? MySQLError)?.message.contains("SQL syntax") == true)
        }
    }

    @Test func aTransactionCommitsOrRollsBack() async throws {
        try await TestDatabase.with(.mysql) { database, _ in
            try await database.query("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB")
            try await database.transaction { transaction in
                try await transaction.query(SQLStatement("INSERT INTO counters VALUES ($1, $2)", [1, 10]))
                return
            }
            await #expect(throws: SQLError.self) {
                try await database.transaction { transaction in
                    try await transaction.query(SQLStatement("UPDATE counters SET n = $1 WHERE id = $2", [99, 1]))
                    throw SQLError(.other, detail: "test abort")
                }
            }
            let row = try #require(try await database.first("SELECT n FROM counters WHERE id = 1"))
            #expect(try row.integer("n") == 10)
        }
    }

    /// Two processes starting at once: `GET_LOCK` lets one migrate, and the other finds nothing left to do.
    @Test func twoProcessesMigratingAtOnceApplyEachMigrationOnce() async throws {
        let migrations = [
            Migration(
                version: 1, name: "widgets", ["CREATE TABLE widgets (id VARCHAR(191) PRIMARY KEY) ENGINE=InnoDB"]),
            Migration(version: 2, name: "widget sizes", ["ALTER TABLE widgets ADD COLUMN size BIGINT"]),
        ]
        try await StorageTests.expectTwoProcessesMigratingAtOnceApplyEachOnce(.mysql, migrations: migrations)
    }

    /// The server closes the pooled connection (as a restart does): the next statement runs on a new connection.
    @Test func aKilledConnectionIsReplacedOnTheNextStatement() async throws {
        try await TestDatabase.with(.mysql) { _, test in
            guard case .mysql(let url) = test.configuration else { return }
            let database = try MySQLDatabase(url: url, maximumConnections: 1, logger: ServiceTestEnvironment.logger)
            let killer = try MySQLDatabase(url: url, maximumConnections: 1, logger: ServiceTestEnvironment.logger)
            do {
                let first = try await Self.connectionID(database)
                // KILL takes no parameters in a prepared statement; the id is the server's own number.
                try await killer.query(SQLStatement("KILL CONNECTION \(first)"))
                let second = try await Self.connectionID(database)
                #expect(second != first)
                try await database.transaction { transaction in
                    try await transaction.query("SELECT 1")
                    return
                }
                #expect(try await Self.connectionID(database) == second)
                await database.close()
                await killer.close()
            } catch {
                await database.close()
                await killer.close()
                throw error
            }
        }
    }

    private static func connectionID(_ database: any SQLDatabase) async throws -> Int64 {
        try #require(try await database.first("SELECT CONNECTION_ID() AS id")).integer("id")
    }
}

/// The MySQL client with no server: no server needed.
@Suite struct MySQLUnreachableServerTests {
    /// Nothing listens on port 1 of the loopback: the connection is refused, and that is `.unavailable` with
    /// Connector/C's error kept.
    @Test func aRefusedConnectionIsUnavailable() async throws {
        let database = try MySQLDatabase(url: "mysql://root@127.0.0.1:1/acme", logger: ServiceTestEnvironment.logger)
        let error = await #expect(throws: SQLError.self) { try await database.ping() }
        await database.close()
        #expect(error?.code == .unavailable)
        let cause = try #require(error?.underlying as? MySQLError)
        #expect(cause.isConnectionFailure)
        #expect(cause.operation == "connect")
        #expect(!cause.message.isEmpty)
    }
}
