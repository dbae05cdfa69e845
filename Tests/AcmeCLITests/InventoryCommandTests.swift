import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `acme service inventory` on the embedded SQLite database of a temporary working directory.
@Suite struct InventoryCommandTests {
    static let environment: [String: String?] = [
        "DATABASE_URL": nil, "INVENTORY_DATABASE_URL": nil, "INVENTORY_LISTEN": nil, "WMS_URL": nil,
        "LOG_FORMAT": "text",
    ]

    @Test func theInventoryServiceServesOnSQLiteAndStopsGracefully() async throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        let service = try await ServiceProcess("inventory", directory: workspace.url, environment: Self.environment)

        let base = "http://127.0.0.1:\(service.port)"
        let (readyBody, ready) = try await URLSession.shared.data(from: URL(string: base + "/health/ready")!)
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)
        let readiness = try JSONSerialization.jsonObject(with: readyBody) as? [String: Any]
        #expect(readiness?["checks"] as? [String: String] == ["database": "ok"])
        // Reads need a token.
        let (problemBody, refused) = try await URLSession.shared.data(from: URL(string: base + "/products")!)
        let http = try #require(refused as? HTTPURLResponse)
        #expect(http.statusCode == 401)
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")
        #expect((try JSONSerialization.jsonObject(with: problemBody) as? [String: Any])?["status"] as? Int == 401)

        #expect(service.interrupt() == 0)
        #expect(
            FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("data/inventory.sqlite").path))
    }

    @Test func badSettingsAreRefusedNamingThem() throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        var environment = Self.environment
        environment["RESERVATION_TTL"] = "soon"
        let ttl = try AcmeProcess.run(["service", "inventory"], directory: workspace.url, environment: environment)
        #expect(ttl.status != 0)
        #expect(ttl.standardError.contains("RESERVATION_TTL: expected a positive number of seconds"))
        let listen = try AcmeProcess.run(
            ["service", "inventory", "--listen", "nowhere"], directory: workspace.url, environment: Self.environment)
        #expect(listen.status != 0)
        #expect(listen.standardError.contains("--listen: expected HOST:PORT"))
    }
}
