import Foundation
import ServiceKit
import ServiceKitTesting

/// A new database (`platform_<random>`) on the PostgreSQL server of `DATABASE_URL`, for a platform whose four
/// services make their schemas in it as on a fresh server. `drop()` deletes it.
struct ScratchPostgresDatabase {
    /// Its URL.
    let url: String
    private let name: String
    private let serverURL: String

    /// Makes the database.
    static func create() async throws -> ScratchPostgresDatabase {
        let serverURL = try ServiceTestEnvironment.requireDatabaseURL()
        let name = "platform_\(UInt64.random(in: 0...UInt64.max))"
        guard var components = URLComponents(string: serverURL) else {
            throw TestSetupError("DATABASE_URL: not a URL: \(serverURL)")
        }
        components.path = "/" + name
        let database = ScratchPostgresDatabase(url: components.string!, name: name, serverURL: serverURL)
        try await database.onServer("CREATE DATABASE \"\(name)\"")
        return database
    }

    /// Deletes the database (its platform must have stopped).
    func drop() async {
        try? await self.onServer("DROP DATABASE IF EXISTS \"\(self.name)\" WITH (FORCE)")
    }

    /// Runs `statement` (DDL whose names come from the code) on the database of `DATABASE_URL`.
    private func onServer(_ statement: String) async throws {
        let server = try PostgresDatabase(url: self.serverURL, schema: "public", logger: ServiceTestEnvironment.logger)
        do {
            _ = try await server.query(SQLStatement(statement))
        } catch {
            await server.close()
            throw error
        }
        await server.close()
    }
}
