import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `acme users ...` and `acme service users` on the embedded SQLite database of a temporary working directory.
@Suite struct UsersCommandTests {
    /// A working directory of the test's own, and an environment without PostgreSQL or Redis.
    struct Workspace {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("acme-users-\(UUID().uuidString)")
        let environment: [String: String?] = [
            "DATABASE_URL": nil, "USERS_DATABASE_URL": nil, "REDIS_URL": nil, "USERS_LISTEN": nil,
        ]

        init() throws {
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        }

        func run(_ arguments: [String]) throws -> AcmeRun {
            try AcmeProcess.run(arguments, directory: self.url, environment: self.environment)
        }

        func remove() {
            try? FileManager.default.removeItem(at: self.url)
        }
    }

    @Test func clientCreatePrintsTheCredentialsOnce() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let confidential = try workspace.run([
            "users", "client", "create", "--name", "orders", "--grant", "client_credentials", "--scope", "users:read",
            "--scope", "inventory:write",
        ])
        #expect(confidential.status == 0, "\(confidential.standardError)")
        let credentials = try #require(
            try JSONSerialization.jsonObject(with: Data(confidential.standardOutput.utf8)) as? [String: Any])
        #expect((credentials["client_id"] as? String)?.isEmpty == false)
        #expect(((credentials["client_secret"] as? String)?.count ?? 0) >= 43)
        #expect(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("data/users.sqlite").path))

        let publicClient = try workspace.run([
            "users", "client", "create", "--name", "spa", "--grant", "authorization_code", "--grant", "refresh_token",
            "--scope", "profile", "--redirect-uri", "https://app.example/callback", "--public",
        ])
        #expect(publicClient.status == 0, "\(publicClient.standardError)")
        #expect(publicClient.standardOutput.contains(#""client_secret":null"#))
    }

    @Test(arguments: [
        (["--grant", "implicit"], "--grant: unknown grant type \"implicit\""),
        (["--grant", "client_credentials", "--public"], "--public: a public client cannot use client_credentials"),
        (["--grant", "authorization_code"], "--redirect-uri: authorization_code needs a redirect URI"),
        ([], "--grant: give at least one grant type"),
    ])
    func clientCreateRefusesBadOptions(options: [String], message: String) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let run = try workspace.run(["users", "client", "create", "--name", "x"] + options)
        #expect(run.status != 0)
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }

    @Test func keysRotateMakesANewKey() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let first = try workspace.run(["users", "keys", "rotate"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("(RS256)"))
        let second = try workspace.run(["users", "keys", "rotate", "--algorithm", "ES256"])
        #expect(second.standardOutput.contains("(ES256)"))
        #expect(first.standardOutput != second.standardOutput)
        let refused = try workspace.run(["users", "keys", "rotate", "--algorithm", "HS256"])
        #expect(refused.status != 0)
    }

    @Test func serviceNamesAreChecked() throws {
        let run = try AcmeProcess.run(["service", "payments"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("unknown service \"payments\""))
        let badListen = try AcmeProcess.run(["service", "users", "--listen", "nowhere"])
        #expect(badListen.status != 0)
        #expect(badListen.standardError.contains("--listen: expected HOST:PORT"))
    }
}

/// `acme service users` as an operator runs it: JSON logs, the gateway's request ids, a graceful stop.
@Suite struct ServiceCommandTests {
    @Test func theUserServiceLogsJSONWithRequestIDsAndStopsGracefully() async throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        let log = workspace.url.appendingPathComponent("service.log")
        try Data().write(to: log)
        let process = Process()
        process.executableURL = try AcmeProcess.binary()
        process.arguments = ["service", "users", "--listen", "127.0.0.1:0"]
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in workspace.environment { environment[name] = value }
        environment["LOG_FORMAT"] = "json"
        process.environment = environment
        process.currentDirectoryURL = workspace.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<600 where port == nil {
            let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!)
            }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let started = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        let bound = try #require(port, "the service did not start: \(started)")

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(bound)/health/ready")!)
        request.setValue("gateway-id-42", forHTTPHeaderField: "X-Request-ID")
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "X-Request-ID") == "gateway-id-42")

        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: try Data(contentsOf: log), as: UTF8.self).split(separator: "\n")
        let access = lines.compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }.first { ($0["request_id"] as? String) == "gateway-id-42" }
        let entry = try #require(access, "no JSON access-log line with the request id in: \(lines)")
        #expect(entry["path"] as? String == "/health/ready")
        #expect("\(entry["status"] ?? "")" == "200")
    }
}
