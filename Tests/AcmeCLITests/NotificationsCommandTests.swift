import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `acme service notifications` on the embedded SQLite database of a temporary working directory.
@Suite struct NotificationsCommandTests {
    static let environment: [String: String?] = [
        "DATABASE_URL": nil, "NOTIFICATIONS_DATABASE_URL": nil, "NOTIFICATIONS_LISTEN": nil, "SMTP_URL": nil,
        "SES_REGION": nil, "TWILIO_ACCOUNT_SID": nil, "FCM_CREDENTIALS": nil, "PUSH_WEBHOOK_URL": nil,
        "TEMPLATES_DIR": nil, "LOG_FORMAT": "text",
    ]

    @Test func theNotificationServiceServesOnSQLiteAndStopsGracefully() async throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        let service = try await ServiceProcess(
            "notifications", directory: workspace.url, environment: Self.environment)

        let base = "http://127.0.0.1:\(service.port)"
        let (readyBody, ready) = try await URLSession.shared.data(from: URL(string: base + "/health/ready")!)
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)
        let readiness = try JSONSerialization.jsonObject(with: readyBody) as? [String: Any]
        #expect(readiness?["checks"] as? [String: String] == ["database": "ok"])
        // The delivery log needs a token.
        let (_, refused) = try await URLSession.shared.data(from: URL(string: base + "/notifications?user_id=ada")!)
        let http = try #require(refused as? HTTPURLResponse)
        #expect(http.statusCode == 401)
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")

        #expect(service.interrupt() == 0)
        let database = workspace.url.appendingPathComponent("data/notifications.sqlite").path
        #expect(FileManager.default.fileExists(atPath: database))
    }

    @Test func badSettingsAreRefusedNamingThem() throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        var environment = Self.environment
        environment["SMTP_URL"] = "mail.example.com:25"
        let smtp = try AcmeProcess.run(
            ["service", "notifications"], directory: workspace.url, environment: environment)
        #expect(smtp.status != 0)
        #expect(smtp.standardError.contains("SMTP_URL: expected smtp://user:pass@host:port"))
        environment["SMTP_URL"] = nil
        environment["TEMPLATES_DIR"] = workspace.url.appendingPathComponent("missing").path
        let templates = try AcmeProcess.run(
            ["service", "notifications"], directory: workspace.url, environment: environment)
        #expect(templates.status != 0)
        #expect(templates.standardError.contains("TEMPLATES_DIR"))
    }
}
