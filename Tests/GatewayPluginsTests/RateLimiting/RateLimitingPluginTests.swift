import Gateway
import GatewayTesting
import NIOHTTP1
import Testing

@testable import GatewayPlugins

/// The `local` policy through the harness, on a `TestClock` that starts at 2026-01-01 00:00:00 UTC.
@Suite struct RateLimitingPluginTests {
    private static let consumers = """
        [{"username": "alice"}, {"username": "bob"}]
        """

    private static func harness(_ config: String) throws -> PluginHarness {
        try PluginHarness(RateLimitingPlugin.self, config: config, consumers: Self.consumers)
    }

    /// Whether each of `count` requests was admitted.
    private static func admitted(_ harness: PluginHarness, _ count: Int, _ request: TestRequest = TestRequest()) async throws -> [Bool] {
        var admitted: [Bool] = []
        for _ in 0..<count { admitted.append(!(try await harness.run(request).wasAnswered)) }
        return admitted
    }

    @Test func admitsTheLimitThenRefusesWithKongsAnswerAndHeaders() async throws {
        let harness = try Self.harness(#"{"minute": 3}"#)
        for remaining in ["2", "1", "0"] {
            let run = try await harness.run(TestRequest())
            #expect(!run.wasAnswered)
            #expect(run.clientHeaderChanges.added.map(\.description) == [
                "x-ratelimit-limit-minute: 3", "x-ratelimit-remaining-minute: \(remaining)",
                "ratelimit-limit: 3", "ratelimit-remaining: \(remaining)", "ratelimit-reset: 60",
            ])
        }
        harness.clock.advance(by: 15.5)
        let refused = try await harness.run(TestRequest())
        #expect(refused.wasAnswered)
        #expect(refused.response.status == .tooManyRequests)
        #expect(refused.response.body == #"{"message":"API rate limit exceeded"}"#)
        #expect(refused.response.headers.first(name: "content-type") == "application/json; charset=utf-8")
        #expect(refused.response.headers.first(name: "X-RateLimit-Remaining-Minute") == "0")
        #expect(refused.response.headers.first(name: "RateLimit-Reset") == "45")
        #expect(refused.response.headers.first(name: "Retry-After") == "45")
        // Kong's spelling of the names, as sent.
        #expect(refused.response.headers.map(\.name).contains("X-RateLimit-Limit-Minute"))
    }

    @Test func decisionsAreCountedInTheMetrics() async throws {
        let harness = try Self.harness(#"{"second": 2}"#)
        _ = try await Self.admitted(harness, 3)
        let text = try await harness.metricsText()
        #expect(text.contains(#"acme_rate_limiting_decisions_total{service="test-service",route="test-route",policy="local",decision="allowed"} 2"#))
        #expect(text.contains(#"acme_rate_limiting_decisions_total{service="test-service",route="test-route",policy="local",decision="limited"} 1"#))
    }

    @Test func fixedWindowsRollOverAtTheirPeriodsStart() async throws {
        let harness = try Self.harness(#"{"minute": 2}"#)
        #expect(try await Self.admitted(harness, 3) == [true, true, false])
        harness.clock.advance(by: 59.9)
        #expect(try await Self.admitted(harness, 1) == [false])
        harness.clock.advance(by: 0.1)
        #expect(try await Self.admitted(harness, 3) == [true, true, false])
    }

    @Test func monthsAreCountedByCalendarMonth() async throws {
        let harness = try Self.harness(#"{"month": 1}"#)
        harness.clock.set(1_769_904_000 - 1)  // 2026-01-31 23:59:59
        let january = try await harness.run(TestRequest())
        #expect(!january.wasAnswered)
        #expect(january.response.headers.first(name: "RateLimit-Reset") == "1")
        #expect(try await Self.admitted(harness, 1) == [false])
        harness.clock.advance(by: 1)  // February: 28 days
        let february = try await harness.run(TestRequest())
        #expect(!february.wasAnswered)
        #expect(february.response.headers.first(name: "RateLimit-Reset") == String(28 * 86_400))
    }

    @Test func headersNameEveryWindowAndResetTheClosestToItsLimit() async throws {
        let harness = try Self.harness(#"{"second": 5, "minute": 6, "hour": 100}"#)
        let first = try await harness.run(TestRequest())
        #expect(first.clientHeaderChanges.added.map(\.description) == [
            "x-ratelimit-limit-second: 5", "x-ratelimit-remaining-second: 4",
            "x-ratelimit-limit-minute: 6", "x-ratelimit-remaining-minute: 5",
            "x-ratelimit-limit-hour: 100", "x-ratelimit-remaining-hour: 99",
            "ratelimit-limit: 5", "ratelimit-remaining: 4", "ratelimit-reset: 1",
        ])
        harness.clock.advance(by: 1)
        _ = try await Self.admitted(harness, 3)
        // Second and minute both have 1 left: the longer period is the one reported.
        let tie = try await harness.run(TestRequest())
        #expect(tie.response.headers.first(name: "X-RateLimit-Remaining-Second") == "1")
        #expect(tie.response.headers.first(name: "X-RateLimit-Remaining-Minute") == "1")
        #expect(tie.response.headers.first(name: "RateLimit-Limit") == "6")
        #expect(tie.response.headers.first(name: "RateLimit-Reset") == "59")
        _ = try await Self.admitted(harness, 1)
        let refused = try await harness.run(TestRequest())
        #expect(refused.response.status == .tooManyRequests)
        #expect(refused.response.headers.first(name: "Retry-After") == "59")
        #expect(refused.response.headers.first(name: "X-RateLimit-Remaining-Hour") == "94")
    }

    /// A request that one window refuses is counted in none, so it uses up no other window's quota.
    @Test func refusedRequestsCountInNoWindow() async throws {
        let harness = try Self.harness(#"{"second": 1, "minute": 3}"#)
        #expect(try await Self.admitted(harness, 4) == [true, false, false, false])
        let refused = try await harness.run(TestRequest())
        #expect(refused.response.headers.first(name: "X-RateLimit-Remaining-Minute") == "2")
        #expect(refused.response.headers.first(name: "Retry-After") == "1")
        harness.clock.advance(by: 1)
        #expect(try await Self.admitted(harness, 2) == [true, false])
        harness.clock.advance(by: 1)
        #expect(try await Self.admitted(harness, 1) == [true])
        harness.clock.advance(by: 1)
        let full = try await harness.run(TestRequest())
        #expect(full.wasAnswered)
        #expect(full.response.headers.first(name: "RateLimit-Limit") == "3")
        #expect(full.response.headers.first(name: "Retry-After") == "57")
    }

    @Test func slidingWindowWeighsThePreviousWindowsCount() async throws {
        let harness = try Self.harness(#"{"minute": 10, "window_type": "sliding"}"#)
        harness.clock.advance(by: 59)
        #expect(try await Self.admitted(harness, 11).filter { $0 }.count == 10)
        // At the edge the previous minute still weighs in full: no second burst.
        harness.clock.advance(by: 1)
        let edge = try await harness.run(TestRequest())
        #expect(edge.wasAnswered)
        // 10 x (54/60) = 9 once 6 seconds of the new minute passed: one more fits.
        #expect(edge.response.headers.first(name: "Retry-After") == "6")
        harness.clock.advance(by: 5.9)
        #expect(try await Self.admitted(harness, 1) == [false])
        harness.clock.advance(by: 0.1)
        let later = try await harness.run(TestRequest())
        #expect(!later.wasAnswered)
        #expect(later.response.headers.first(name: "X-RateLimit-Remaining-Minute") == "0")
        // 15 s in: 10 x 0.75 = 7.5, counted as 8, and 1 in this minute: one more fits.
        harness.clock.advance(by: 9)
        #expect(try await Self.admitted(harness, 2) == [true, false])
        // Two minutes later nothing weighs.
        harness.clock.advance(by: 120)
        #expect(try await Self.admitted(harness, 11).filter { $0 }.count == 10)
    }

    @Test func fixedWindowAllowsABurstOnEachSideOfTheEdgeWhereSlidingDoesNot() async throws {
        for (type, admitted) in [("fixed", 20), ("sliding", 10)] {
            let harness = try Self.harness(#"{"minute": 10, "window_type": "\#(type)"}"#)
            harness.clock.advance(by: 59.5)
            var count = try await Self.admitted(harness, 10).filter { $0 }.count
            harness.clock.advance(by: 1)
            count += try await Self.admitted(harness, 10).filter { $0 }.count
            #expect(count == admitted, "\(type)")
        }
    }

    @Test(arguments: [
        // limit_by, the first caller, the same caller again, someone else
        (#""consumer""#, TestRequest(consumer: "alice"), TestRequest(clientAddress: "10.0.0.9", consumer: "alice"),
         TestRequest(consumer: "bob")),
        (#""consumer""#, TestRequest(clientAddress: "10.0.0.1"), TestRequest(clientAddress: "10.0.0.1"),
         TestRequest(clientAddress: "10.0.0.2")),
        (#""credential""#, TestRequest(consumer: "alice", credentialIdentifier: "k1"),
         TestRequest(consumer: "bob", credentialIdentifier: "k1"), TestRequest(consumer: "alice", credentialIdentifier: "k2")),
        (#""credential""#, TestRequest(consumer: "alice"), TestRequest(consumer: "bob"), TestRequest(clientAddress: "10.0.0.2")),
        (#""ip""#, TestRequest(consumer: "alice"), TestRequest(consumer: "bob"), TestRequest(clientAddress: "10.0.0.2")),
        (#""service""#, TestRequest(clientAddress: "10.0.0.1"), TestRequest(clientAddress: "10.0.0.2"),
         TestRequest(serviceName: "other")),
        (#""header", "header_name": "X-App""#, TestRequest(headers: ["x-app": "v1"]),
         TestRequest(headers: ["X-App": "v1"], clientAddress: "10.0.0.2"), TestRequest(headers: ["X-App": "v2"])),
        (#""header", "header_name": "X-App""#, TestRequest(), TestRequest(), TestRequest(clientAddress: "10.0.0.2")),
        (#""path", "path": "/orders""#, TestRequest(.GET, "/orders"), TestRequest(.GET, "/orders", clientAddress: "10.0.0.2"),
         TestRequest(.GET, "/orders/1")),
        (#""path", "path": "/orders""#, TestRequest(.GET, "/items"), TestRequest(.GET, "/other"),
         TestRequest(.GET, "/items", clientAddress: "10.0.0.2")),
    ])
    func limitByCountsPerIdentifierFallingBackToTheAddress(
        limitBy: String,
        first: TestRequest,
        same: TestRequest,
        other: TestRequest
    ) async throws {
        let harness = try Self.harness(#"{"minute": 1, "limit_by": \#(limitBy)}"#)
        #expect(try await !harness.run(first).wasAnswered)
        #expect(try await harness.run(same).wasAnswered)
        #expect(try await !harness.run(other).wasAnswered)
    }

    @Test func aGlobalEntryCountsACallerAcrossRoutes() async throws {
        let harness = try Self.harness(#"{"minute": 1}"#)
        #expect(try await !harness.run(TestRequest(routeName: "orders")).wasAnswered)
        #expect(try await harness.run(TestRequest(routeName: "items")).wasAnswered)
    }

    @Test func hiddenHeadersAreNotSent() async throws {
        let harness = try Self.harness(#"{"minute": 1, "hide_client_headers": true}"#)
        #expect(try await harness.run(TestRequest()).clientHeaderChanges.isEmpty)
        let refused = try await harness.run(TestRequest())
        #expect(refused.response.status == .tooManyRequests)
        #expect(refused.response.headers.map(\.name) == ["content-type"])
    }

    @Test func errorCodeAndMessageAreConfigurable() async throws {
        let harness = try Self.harness(#"{"minute": 1, "error_code": 503, "error_message": "slow down"}"#)
        _ = try await harness.run(TestRequest())
        let refused = try await harness.run(TestRequest())
        #expect(refused.response.status == .serviceUnavailable)
        #expect(refused.response.body == #"{"message":"slow down"}"#)
    }

    @Test func headersAlsoGoOnAnotherPluginsAnswerAndReplaceTheUpstreams() async throws {
        let harness = try PluginHarness(chain: [(RateLimitingPlugin.self, #"{"minute": 5}"#), (RefusingPlugin.self, "{}")])
        let refused = try await harness.run(TestRequest(headers: ["x-refuse": "1"]))
        #expect(refused.response.status == .forbidden)
        #expect(refused.response.headers.first(name: "X-RateLimit-Remaining-Minute") == "4")
        let passed = try await harness.run(TestRequest(), upstream: TestResponse(headers: ["RateLimit-Limit": "1000"]))
        #expect(passed.response.headers["RateLimit-Limit"] == ["5"])
    }

    @Test func localCountersAreAResourceOfTheHarnessClosedWithIt() async throws {
        let harness = try Self.harness(#"{"minute": 1}"#)
        #expect(harness.resources.count == 1)
        await harness.close()
        #expect(harness.resources.count == 0)
    }
}

/// Answers 403 to requests with `X-Refuse`, after rate-limiting (a lower priority).
private struct RefusingPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        init(from reader: inout PluginConfigReader) {}
    }

    static let name = "refusing"
    static let priority = 900

    init(configuration: Configuration, setup: PluginSetup) {}

    func access(_ request: PluginRequest) -> PluginAction {
        request.headers.contains(name: "x-refuse") ? .respond(.message(.forbidden, "no")) : .proceed
    }
}
