import Foundation
import Logging
import ServiceKit

/// A database of a test's own: a SQLite file in a new temporary folder, or a new schema (`test_<random>`) on the
/// PostgreSQL at `DATABASE_URL`. `remove()` deletes it.
public struct TestDatabase: Sendable {
    /// Which kind.
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite
        case postgres

        public var description: String { self.rawValue }
    }

    /// The kind.
    public let kind: Kind
    /// How a service would be configured to use it (a second process opens the same database with this).
    public let configuration: DatabaseConfiguration
    private let folder: String?

    /// A new, empty database of `kind`.
    ///
    /// - Throws: `TestSetupError` when PostgreSQL is asked for without `DATABASE_URL`.
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
        }
    }

    /// Opens a connection (pool) to it; several may be open at once, like several processes.
    public func open() async throws -> any SQLDatabase {
        try await self.configuration.open(logger: ServiceTestEnvironment.logger)
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
        }
    }

    /// The kinds the tests run on here: SQLite always, PostgreSQL when `DATABASE_URL` is set or under CI.
    public static let kinds: [Kind] = ServiceTestEnvironment.postgresTestsRun ? [.sqlite, .postgres] : [.sqlite]

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
