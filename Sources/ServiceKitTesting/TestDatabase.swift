import Foundation
import Logging
import ServiceKit

/// A database of a test's own: a SQLite file in a new temporary folder, a new schema (`test_<random>`) on the
/// PostgreSQL at `DATABASE_URL`, or a new database (`test_<random>`) on the MariaDB server of `MYSQL_URL`.
/// `remove()` deletes it.
public struct TestDatabase: Sendable {
    /// Which kind.
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite
        case postgres
        case mysql

        public var description: String { self.rawValue }
    }

    /// The kind.
    public let kind: Kind
    /// How a service would be configured to use it (a second process opens the same database with this).
    public let configuration: DatabaseConfiguration
    private let folder: String?

    /// A new, empty database of `kind`.
    ///
    /// - Throws: `TestSetupError` when PostgreSQL is asked for without `DATABASE_URL`, MySQL without `MYSQL_URL`.
    public static func make(_ kind: Kind) throws -> TestDatabase {
        let suffix = UInt64.random(in: 0...UInt64.max)
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-test-\(suffix)").path
            return TestDatabase(
                kind: kind, configuration: .sqlite(path: folder + "/test.sqlite"), folder: folder)
        case .postgres:
            let url = try ServiceTestEnvironment.requireDatabaseURL()
            return TestDatabase(kind: kind, configuration: .postgres(url: url, schema: "test_\(suffix)"), folder: nil)
        case .mysql:
            var url = try MySQLURL(try ServiceTestEnvironment.requireMySQLURL())
            url.database = "test_\(suffix)"
            return TestDatabase(kind: kind, configuration: .mysql(url: url.urlString), folder: nil)
        }
    }

    /// Opens a connection (pool) to it; several may be open at once, like several processes. A MySQL database is
    /// made on first open (utf8mb4, binary collation).
    public func open() async throws -> any SQLDatabase {
        if case .mysql(let url) = self.configuration {
            let name = try MySQLURL(url).database
            try await Self.onMySQLServer(
                "CREATE DATABASE IF NOT EXISTS `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        }
        return try await self.configuration.open(logger: ServiceTestEnvironment.logger)
    }

    /// Deletes the schema or the folder.
    public func remove() async {
        switch self.configuration {
        case .postgres(let url, let schema):
            if let database = try? PostgresDatabase(url: url, schema: "public", logger: ServiceTestEnvironment.logger) {
                _ = try? await database.query(SQLStatement("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
                await database.close()
            }
        case .sqlite:
            if let folder { try? FileManager.default.removeItem(atPath: folder) }
        case .mysql(let url):
            if let name = try? MySQLURL(url).database {
                try? await Self.onMySQLServer("DROP DATABASE IF EXISTS `\(name)`")
            }
        }
    }

    /// Runs `statement` (DDL whose names come from the code) on the database of `MYSQL_URL`.
    private static func onMySQLServer(_ statement: String) async throws {
        let server = try MySQLDatabase(
            url: try ServiceTestEnvironment.requireMySQLURL(), maximumConnections: 1,
            logger: ServiceTestEnvironment.logger)
        do {
            try await server.query(SQLStatement(statement))
            await server.close()
        } catch {
            await server.close()
            throw error
        }
    }

    /// The kinds the tests run on here: SQLite always, PostgreSQL when `DATABASE_URL` is set or under CI.
    public static let kinds: [Kind] = ServiceTestEnvironment.postgresTestsRun ? [.sqlite, .postgres] : [.sqlite]

    /// `kinds` and MySQL when `MYSQL_URL` is set or under CI: for the services whose store runs on MySQL too
    /// (the inventory).
    public static let kindsWithMySQL: [Kind] = Self.kinds + (ServiceTestEnvironment.mysqlTestsRun ? [.mysql] : [])

    /// Runs `body` with a new database of `kind`, opened, and removes it afterwards.
    public static func with<Result>(
        _ kind: Kind, _ body: (any SQLDatabase, TestDatabase) async throws -> Result
    ) async throws -> Result {
        let test = try Self.make(kind)
        let database = try await test.open()
        do {
            let result = try await body(database, test)
            await database.close()
            await test.remove()
            return result
        } catch {
            await database.close()
            await test.remove()
            throw error
        }
    }
}
