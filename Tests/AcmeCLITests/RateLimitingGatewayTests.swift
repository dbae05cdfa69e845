import AsyncHTTPClient
import Foundation
import GatewayTesting
import Testing

/// rate-limiting through `acme gateway` processes: two gateways sharing the Redis that `make test` starts, and one
/// whose own Redis stops.
@Suite struct RateLimitingGatewayTests {
    private static let redisURL = ProcessInfo.processInfo.environment["REDIS_URL"]
    private static let sharedRedisTestsRun = redisURL != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// A configuration whose routes `/<route>` run rate-limiting with `config` laid over `defaults`, in front of
    /// `upstream`. (The loader checks each route's object on its own too, so each names its limits.)
    private static func configuration(defaults: String, routes: [String: String], upstream: TestDocumentServer) throws -> ConfigDirectory {
        let port = try #require(URL(string: upstream.url)?.port)
        let routeList = routes.sorted { $0.key < $1.key }.map { name, config in
            #"{"name": "\#(name)", "paths": ["/\#(name)"], "plugins": {"rate-limiting": \#(config)}}"#
        }
        return try ConfigDirectory([
            "plugins.json": #"{"plugins": [{"name": "rate-limiting", "enabled": false, "config": \#(defaults)}]}"#,
            "routes/api.json": #"""
                {"service": {"name": "api", "url": "http://127.0.0.1:\#(port)"}, "routes": [\#(routeList.joined(separator: ", "))]}
                """#,
        ])
    }

    private struct Answer: Sendable {
        var status: UInt
        var headers: [String: String]
        var body: String
    }

    private static func get(_ port: Int, _ path: String, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let fields = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        return Answer(status: response.status.code, headers: fields, body: String(buffer: body))
    }

    /// Waits for the next minute when fewer than 15 seconds of this one are left, so that a burst stays in one
    /// fixed window.
    private static func awayFromAMinutesEdge() async throws {
        let second = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        if second > 45 { try await Task.sleep(for: .milliseconds(Int((60.2 - second) * 1_000))) }
    }

    @Test(.enabled(if: sharedRedisTestsRun, "REDIS_URL is not set: run `make test`, or set REDIS_URL"), arguments: ["fixed", "sliding"])
    func twoGatewaysSharingRedisLetExactlyTheLimitThrough(route: String) async throws {
        let redisURL = try #require(Self.redisURL, "REDIS_URL is not set: run the tests with `make test`")
        let upstream = try await TestDocumentServer.start(serving: #"{"ok": true}"#)
        let directory = try Self.configuration(
            // A failing Redis answers 500 (not fault-tolerant), and only after 30 s, however busy the machine.
            defaults: #"""
                {"minute": 20, "limit_by": "header", "header_name": "X-Test-Caller", "policy": "redis",
                 "redis_url": "${REDIS_URL}", "redis": {"timeout": 30000}, "fault_tolerant": false}
                """#,
            routes: ["fixed": #"{"minute": 20}"#, "sliding": #"{"minute": 20, "window_type": "sliding"}"#],
            upstream: upstream
        )
        defer { directory.remove() }
        try await withGateways(2, config: directory, environment: ["REDIS_URL": redisURL]) { gateways in
            let ports = gateways.map(\.port)
            let caller = UUID().uuidString
            try await Self.awayFromAMinutesEdge()
            let answers = try await withThrowingTaskGroup(of: Answer.self) { tasks in
                for index in 0..<60 {
                    tasks.addTask { try await Self.get(ports[index % 2], "/\(route)", headers: [("X-Test-Caller", caller)]) }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            let passed = answers.filter { $0.status == 200 }
            let refused = answers.filter { $0.status == 429 }
            #expect(passed.count == 20)
            #expect(refused.count == 40, "\(answers.filter { $0.status != 200 && $0.status != 429 }.map(\.body))")
            #expect(passed.allSatisfy { $0.headers["x-ratelimit-limit-minute"] == "20" && $0.body == #"{"ok": true}"# })
            #expect(refused.allSatisfy { $0.body == #"{"message":"API rate limit exceeded"}"# })
            #expect(refused.allSatisfy { $0.headers["x-ratelimit-remaining-minute"] == "0" && $0.headers["retry-after"] != nil })
            #expect(Set(passed.compactMap { $0.headers["x-ratelimit-remaining-minute"] }) == Set((0..<20).map(String.init)))
        }
        await upstream.stop()
    }

    @Test(.enabled(if: PrivateRedisServer.testsRun, "redis-server is not on the PATH: install it (make test-packages)"))
    func whenItsRedisStopsFaultTolerantPassesAndStrictAnswers500() async throws {
        let redis = try await PrivateRedisServer()
        let upstream = try await TestDocumentServer.start(serving: #"{"ok": true}"#)
        let directory = try Self.configuration(
            defaults: #"{"minute": 1, "policy": "redis", "redis_url": "${PRIVATE_REDIS_URL}"}"#,
            routes: [
                "tolerant": #"{"second": 100, "minute": 1000, "hour": 10000, "fault_tolerant": true}"#,
                "strict": #"{"second": 100, "minute": 1000, "hour": 10000, "fault_tolerant": false}"#,
            ],
            upstream: upstream
        )
        defer { directory.remove() }
        do {
            try await withGateways(1, config: directory, environment: ["PRIVATE_REDIS_URL": redis.url]) { gateways in
                let port = gateways[0].port
                // The first request loads the script; after that, each request is one call of it (one round trip)
                // for all three windows.
                for _ in 0..<2 { _ = try await Self.get(port, "/strict") }
                let before = Self.scriptCalls(try redis.cli("info", "commandstats"))
                for _ in 0..<10 {
                    let answer = try await Self.get(port, "/strict")
                    #expect(answer.status == 200)
                    #expect(answer.headers["x-ratelimit-limit-second"] == "100")
                    #expect(answer.headers["x-ratelimit-limit-hour"] == "10000")
                }
                let statistics = try redis.cli("info", "commandstats")
                #expect(Self.scriptCalls(statistics) - before == 10, "\(statistics)")

                await redis.stop()
                let tolerant = try await Self.get(port, "/tolerant")
                #expect(tolerant.status == 200)
                #expect(tolerant.headers.keys.allSatisfy { !$0.contains("ratelimit") })
                let strict = try await Self.get(port, "/strict")
                #expect(strict.status == 500)
                #expect(strict.body == #"{"message":"An unexpected error occurred"}"#)
                #expect(try await gateways[0].waitForLog("rate-limiting cannot count in Redis"))
            }
        } catch {
            await redis.remove()
            await upstream.stop()
            throw error
        }
        await redis.remove()
        await upstream.stop()
    }

    /// The scripts called (`EVALSHA` and `EVAL`, the gateway's only commands) on the Redis whose
    /// `INFO commandstats` is `statistics`.
    private static func scriptCalls(_ statistics: String) -> Int {
        statistics.split(whereSeparator: \.isNewline)
            .filter { $0.hasPrefix("cmdstat_eval:") || $0.hasPrefix("cmdstat_evalsha:") }
            .compactMap { line in line.split(separator: ",").first?.split(separator: "=").last.flatMap { Int($0) } }
            .reduce(0, +)
    }
}
