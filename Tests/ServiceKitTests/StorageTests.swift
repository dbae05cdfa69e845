import Foundation
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct StorageTests {
    static let migrations = [
        Migration(
            version: 1, name: "widgets", ["CREATE TABLE widgets (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)"]),
        Migration(version: 2, name: "widget sizes", ["ALTER TABLE widgets ADD COLUMN size BIGINT"]),
    ]

    @Test(arguments: TestDatabase.kinds)
    func migrationsApplyOnceAndASecondRunDoesNothing(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            #expect(try await MigrationRunner.migrate(database, migrations: Self.migrations) == [1, 2])
            #expect(try await MigrationRunner.migrate(database, migrations: Self.migrations) == [])
            try await database.query(
                SQLStatement("INSERT INTO widgets (id, name, size) VALUES ($1, $2, $3)", ["a", "A", 3]))
            let row = try #require(try await database.first("SELECT name, size FROM widgets"))
            #expect(try row.text("name") == "A")
            #expect(try row.integer("size") == 3)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func twoProcessesMigratingAtOnceApplyEachMigrationOnce(kind: TestDatabase.Kind) async throws {
        try await Self.expectTwoProcessesMigratingAtOnceApplyEachOnce(kind, migrations: Self.migrations)
    }

    /// Runs `migrations` (versions 1 and 2) on a new database of `kind` from two connection pools at once, as two
    /// processes starting together do, and expects each applied once.
    static func expectTwoProcessesMigratingAtOnceApplyEachOnce(
        _ kind: TestDatabase.Kind, migrations: [Migration]
    ) async throws {
        try await TestDatabase.with(kind) { first, test in
            let second = try await test.open()
            async let one = MigrationRunner.migrate(first, migrations: migrations)
            async let two = MigrationRunner.migrate(second, migrations: migrations)
            let applied: [[Int]]
            do {
                applied = try await [one, two]
                await second.close()
            } catch {
                await second.close()
                throw error
            }
            #expect(applied.flatMap { $0 }.sorted() == [1, 2])
            let rows = try await first.query("SELECT version FROM schema_migrations ORDER BY version")
            #expect(try rows.map { try $0.integer("version") } == [1, 2])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aRenamedOrUnknownMigrationIsRefused(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(database, migrations: Self.migrations)
            let renamed = [Self.migrations[0], Migration(version: 2, name: "other", ["SELECT 1"])]
            await #expect(throws: SQLError.self) { try await MigrationRunner.migrate(database, migrations: renamed) }
            let older = [Self.migrations[0]]
            let error = await #expect(throws: SQLError.self) {
                try await MigrationRunner.migrate(database, migrations: older)
            }
            #expect(error?.code == .migrationMismatch)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func uniqueViolationsAreReportedAsSuch(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(database, migrations: Self.migrations)
            try await database.query(SQLStatement("INSERT INTO widgets (id, name) VALUES ($1, $2)", ["a", "A"]))
            let error = await #expect(throws: SQLError.self) {
                try await database.query(SQLStatement("INSERT INTO widgets (id, name) VALUES ($1, $2)", ["b", "A"]))
            }
            #expect(error?.code == .uniqueViolation)
            #expect(error?.description.contains("INSERT") == false)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aTransactionThatThrowsIsRolledBack(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(database, migrations: Self.migrations)
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { transaction in
                    try await transaction.query(
                        SQLStatement("INSERT INTO widgets (id, name) VALUES ($1, $2)", ["a", "A"]))
                    throw Abort()
                }
            }
            #expect(try await database.query("SELECT id FROM widgets").isEmpty)
            let id = try await database.transaction { transaction in
                try await transaction.first(
                    SQLStatement("INSERT INTO widgets (id, name) VALUES ($1, $2) RETURNING id", ["b", "B"]))?.text("id")
            }
            #expect(id == "b")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func parametersBindByNumberWhateverTheirOrder(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(database, migrations: Self.migrations)
            try await database.query(
                SQLStatement("INSERT INTO widgets (name, id, size) VALUES ($2, $1, $3)", ["id", "name", nil]))
            let row = try #require(try await database.first("SELECT id, name, size FROM widgets"))
            #expect(try row.text("id") == "id")
            #expect(try row.text("name") == "name")
            #expect(row["size"].isNull)
        }
    }

    @Test func environmentPicksPostgresForTheServiceOrTheSharedURLElseSQLite() {
        #expect(
            DatabaseConfiguration.fromEnvironment(service: "users", environment: [:])
                == .sqlite(path: "./data/users.sqlite"))
        #expect(
            DatabaseConfiguration.fromEnvironment(service: "users", environment: ["DATABASE_URL": "postgres://a@h/d"])
                == .postgres(url: "postgres://a@h/d", schema: "users"))
        #expect(
            DatabaseConfiguration.fromEnvironment(
                service: "users",
                environment: ["DATABASE_URL": "postgres://a@h/d", "USERS_DATABASE_URL": "postgres://b@h/e"])
                == .postgres(url: "postgres://b@h/e", schema: "users"))
    }
}
