import Foundation
import ServiceKit
import ServiceKitTesting
import Testing

/// README's quick start, as `acme up` prints it, walked through the gateway of a running `acme up`: a token for the
/// demo user, the demo catalogue, an order, the stock it reserved, the notification it sent, and the orders route's
/// rate limit. On the embedded defaults (SQLite, in-memory cache, in-process bus, emails as files), and on
/// PostgreSQL, Redis and RabbitMQ (a database and a broker of the test's own).
@Suite struct PlatformWalkthroughTests {
    @Test func onTheEmbeddedDefaults() async throws {
        let platform = try await PlatformProcess()
        defer { platform.remove() }
        try await Self.walk(platform, emailsAsFiles: true)
        // The order and notification services' own clients, their secrets kept for the next start.
        for (client, scope) in [("orders", "inventory:write"), ("notifications", "users:read")] {
            let secretFile = platform.directory.appendingPathComponent("data/\(client)-client.secret")
            let attributes = try FileManager.default.attributesOfItem(atPath: secretFile.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let secret = String(decoding: try Data(contentsOf: secretFile), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let token = try await TestHTTP.send(
                .POST, platform.gateway + "/oauth/token",
                form: [
                    ("grant_type", "client_credentials"), ("client_id", "acme-\(client)"), ("client_secret", secret),
                    ("scope", scope),
                ])
            #expect(token.status == .ok, "\(client): \(token.text)")
        }
        let status = platform.stop()
        let log = try platform.output()
        #expect(status == 0, "\(log)")
    }

    /// The commands as printed, run by bash with curl in the platform's working directory.
    @Test(.enabled(if: Self.curlInstalled || ServiceTestEnvironment.isCI, "curl is not installed"))
    func thePrintedCommandsWork() async throws {
        let platform = try await PlatformProcess()
        defer { platform.remove() }
        let printed = try platform.output()
        let start = try #require(printed.range(of: "  # A token for the demo user"), "\(printed)")
        let commands = printed[start.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.contains(" info ") && !$0.contains(" warning ") }
            .map { $0.hasPrefix("  ") ? String($0.dropFirst(2)) : String($0) }
        // README's quick start is the same walkthrough, on the default port.
        let readme = try String(
            contentsOf: PlatformProcess.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let onDefaultPort = commands.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: platform.gateway, with: "http://127.0.0.1:8000")
        #expect(readme.contains(onDefaultPort), "README.md's quick start differs from what acme up prints")
        // The limit counts per minute of the clock: start early in one, so that the script's 61 requests fall in it.
        let second = Int(Date().timeIntervalSince1970) % 60
        if second > 45 { try await Task.sleep(for: .seconds(61 - second)) }
        let run = try await ShellCommand.run(
            "set -e -o pipefail\n" + commands.joined(separator: "\n"), shell: "/bin/bash",
            directory: platform.directory.path)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains(#""sku":"ACME-MUG""#), "\(run.output)")
        #expect(run.output.contains(#""status":"confirmed""#), "\(run.output)")
        #expect(run.output.contains(#""reserved":2"#), "\(run.output)")
        #expect(run.output.contains(#""event_type":"order.created""#), "\(run.output)")
        #expect(run.output.contains(".eml"), "\(run.output)")
        let counts = run.output.split(separator: "\n").map { $0.split(separator: " ") }
        // Of the 61 requests, at least one was refused (59 are left after the order, unless a minute begins).
        #expect(counts.contains { $0.count == 2 && $0[1] == "429" }, "\(run.output)")
        #expect(counts.contains { $0.count == 2 && $0[1] == "200" }, "\(run.output)")
        let status = platform.stop()
        #expect(status == 0)
    }

    /// The printed rate limit is the orders route's, as configured: here 3 a minute.
    @Test func thePrintedLimitIsTheOrdersRoutes() async throws {
        let routes = try String(
            contentsOf: PlatformProcess.packageRoot.appendingPathComponent("routes/orders.json"), encoding: .utf8)
        let three = routes.replacingOccurrences(of: #""minute": 60"#, with: #""minute": 3"#)
        try #require(three != routes, "routes/orders.json has no \"minute\": 60")
        let platform = try await PlatformProcess(files: ["routes/orders.json": three])
        defer { platform.remove() }
        let printed = try platform.output()
        #expect(printed.contains("# The rate limit: 3 order requests a minute, then 429"), "\(printed)")
        #expect(printed.contains("for i in $(seq 4)"), "\(printed)")
        let status = platform.stop()
        #expect(status == 0)
    }

    static let curlInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

    @Test(
        .enabled(
            if: ServiceTestEnvironment.postgresTestsRun && ServiceTestEnvironment.redisTestsRun
                && PrivateRabbitMQNode.testsRun,
            "\(ServiceTestEnvironment.postgresMissing); \(ServiceTestEnvironment.redisMissing)"))
    func onPostgresRedisAndRabbitMQ() async throws {
        let redis = try ServiceTestEnvironment.requireRedisURL()
        let database = try await ScratchPostgresDatabase.create()
        let broker = try await PrivateRabbitMQNode.start()
        do {
            let platform = try await PlatformProcess(environment: [
                "DATABASE_URL": database.url, "REDIS_URL": redis, "EVENT_BUS": broker.url,
            ])
            defer { platform.remove() }
            try await Self.walk(platform, emailsAsFiles: true)
            let log = try platform.output()
            #expect(log.contains("event bus: RabbitMQ broker=\(broker.url.replacingOccurrences(of: "guest:guest@", with: "guest@"))"), "\(log)")
            #expect(platform.stop() == 0, "\(log)")
        } catch {
            await broker.stop()
            await database.drop()
            throw error
        }
        await broker.stop()
        await database.drop()
    }

    /// The walkthrough's steps, each checked.
    static func walk(_ platform: PlatformProcess, emailsAsFiles: Bool) async throws {
        let gateway = platform.gateway
        let printed = try platform.output()
        #expect(printed.contains("TOKEN=$(curl -s \(gateway)/oauth/token"), "\(printed)")

        // A token for the demo user, from the public acme-cli client.
        let login = try await TestHTTP.send(
            .POST, gateway + "/oauth/token",
            form: [
                ("grant_type", "password"), ("client_id", "acme-cli"), ("username", "demo@example.com"),
                ("password", "demo-password"),
            ])
        #expect(login.status == .ok, "\(login.text)")
        let token = try #require(try login.object()["access_token"] as? String, "\(login.text)")

        // The demo catalogue: three products.
        let products = try await TestHTTP.send(.GET, gateway + "/api/inventory/products", token: token)
        #expect(products.status == .ok, "\(products.text)")
        let skus = (try products.object()["data"] as? [[String: Any]])?.compactMap { $0["sku"] as? String }
        #expect(Set(skus ?? []) == ["ACME-TEE-M", "ACME-MUG", "ACME-STICKERS"], "\(products.text)")
        let before = try await Self.reserved(gateway, token: token)

        // An order for two mugs.
        let order = try await TestHTTP.send(
            .POST, gateway + "/api/orders", token: token, json: Self.orderBody(printed))
        #expect(order.status == .created, "\(order.text)")
        let orderID = try #require(try order.object()["id"] as? String, "\(order.text)")

        // The stock moved: two more mugs reserved.
        #expect(try await Self.reserved(gateway, token: token) == before + 2)

        // The notification: order.created sent by email, in the delivery log (and as a file in the outbox).
        let sent = try await Self.eventually {
            let log = try await TestHTTP.send(.GET, gateway + "/api/notifications", token: token)
            let deliveries = try log.object()["data"] as? [[String: Any]] ?? []
            return deliveries.first {
                $0["event_type"] as? String == "order.created" && $0["channel"] as? String == "email"
                    && $0["status"] as? String == "sent"
            }
        }
        if sent == nil { Issue.record("no email sent for the order: \(try platform.output())") }
        if emailsAsFiles {
            let outbox = platform.directory.appendingPathComponent("data/outbox")
            let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }
            let emails = try files.map { String(decoding: try Data(contentsOf: outbox.appendingPathComponent($0)), as: UTF8.self) }
            #expect(
                emails.contains { $0.contains("To: demo@example.com") || $0.contains("<demo@example.com>") }
                    && emails.contains { $0.contains(orderID) },
                "\(emails)")
        }

        // The rate limit: the orders route allows 60 requests a minute per user (the order above was one); the
        // answer before the 429 said none were left (a new minute may have begun during the loop).
        var statuses: [Int] = []
        var remaining: [String?] = []
        var refused: TestHTTPResponse?
        while refused == nil && statuses.count < 200 {
            let answer = try await TestHTTP.send(.GET, gateway + "/api/orders", token: token)
            statuses.append(Int(answer.status.code))
            remaining.append(answer.headers.first(name: "X-RateLimit-Remaining-Minute"))
            if answer.status == .tooManyRequests { refused = answer }
        }
        let limited = try #require(refused, "no 429 after \(statuses.count) requests")
        #expect(statuses.count >= 60, "\(statuses)")
        #expect(statuses.dropLast().allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(remaining.dropLast().last == "0", "\(remaining)")
        #expect(limited.text.contains(#""message":"API rate limit exceeded""#), "\(limited.text)")
        #expect(limited.headers.first(name: "X-RateLimit-Limit-Minute") == "60")
        #expect(limited.headers.first(name: "Retry-After") != nil)
    }

    /// The order the printed walkthrough places (its `-d '...'` body).
    static func orderBody(_ printed: String) throws -> String {
        let range = try #require(printed.range(of: #"-d '\{"items".*\}'"#, options: .regularExpression), "\(printed)")
        return String(printed[range].dropFirst(4).dropLast())
    }

    /// The mugs reserved in all warehouses.
    static func reserved(_ gateway: String, token: String) async throws -> Int {
        let stock = try await TestHTTP.send(.GET, gateway + "/api/inventory/products/ACME-MUG/stock", token: token)
        let total = try stock.object()["total"] as? [String: Any]
        return try #require(total?["reserved"] as? Int, "\(stock.text)")
    }

    /// `probe`'s first non-nil answer, asking every 100 ms for at most a minute; nil when none came.
    static func eventually<Value>(_ probe: () async throws -> Value?) async throws -> Value? {
        for _ in 0..<600 {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
