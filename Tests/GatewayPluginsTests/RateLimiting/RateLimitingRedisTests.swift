import Foundation
import GatewayTesting
import NIOCore
import NIOPosix
import Redis
import Testing

@testable import GatewayPlugins

/// The `redis` policy through the harness, against the Redis that `make test` starts.
@Suite(.enabled(if: RedisTestEnvironment.testsRun, RedisTestEnvironment.missing))
struct RateLimitingRedisTests {
    /// A harness counting by the `x-caller` header in the shared Redis; `harness.clock` is `clock`. A Redis that
    /// fails answers 500 (not fault-tolerant), and only after 30 s, however busy the machine.
    private static func harness(_ fields: String, clock: TestClock = TestClock()) throws -> PluginHarness {
        let url = try RedisTestEnvironment.requireURL()
        let redis = #""policy": "redis", "redis_url": "\#(url)", "redis": {"timeout": 30000}, "fault_tolerant": false"#
        let config = #"{\#(fields), "limit_by": "header", "header_name": "x-caller", \#(redis)}"#
        return try PluginHarness(RateLimitingPlugin.self, config: config, clock: clock)
    }

    /// A request from a caller no other test (or test run) uses.
    private static func caller() -> TestRequest {
        TestRequest(headers: ["x-caller": UUID().uuidString])
    }

    @Test func exactlyTheLimitPassesWhenTwoGatewaysCountAtOnce() async throws {
        let clock = TestClock()
        let gateways = [try Self.harness(#""minute": 20"#, clock: clock), try Self.harness(#""minute": 20"#, clock: clock)]
        let request = Self.caller()
        let statuses = try await withThrowingTaskGroup(of: UInt.self) { tasks in
            for index in 0..<60 {
                tasks.addTask { try await gateways[index % 2].run(request).response.status.code }
            }
            return try await tasks.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(statuses == [200: 20, 429: 40])
        for gateway in gateways { await gateway.close() }
    }

    /// Redis expires counters in real time while the test clock stands still: the steps keep at least 20 s between
    /// the test clock and the end of a fixed window.
    @Test(arguments: ["fixed", "sliding"])
    func decidesAndReportsExactlyAsTheLocalPolicy(windowType: String) async throws {
        let fields = #""minute": 5, "hour": 12, "window_type": "\#(windowType)""#
        let redis = try Self.harness(fields)
        let local = try PluginHarness(RateLimitingPlugin.self, config: "{\(fields), \"limit_by\": \"header\", \"header_name\": \"x-caller\"}")
        let request = Self.caller()
        for (offset, count) in [(0.0, 3), (20, 1), (30, 4), (40, 2), (60, 3), (75, 5), (130, 2), (200, 6)] {
            redis.clock.set(TestClock().now() + offset)
            local.clock.set(TestClock().now() + offset)
            for index in 0..<count {
                let (fromRedis, fromLocal) = (try await redis.run(request), try await local.run(request))
                #expect(fromRedis.wasAnswered == fromLocal.wasAnswered, "at \(offset) s, request \(index)")
                #expect(fromRedis.response.headers == fromLocal.response.headers, "at \(offset) s, request \(index)")
            }
        }
        await redis.close()
    }

    @Test(arguments: [("fixed", 45_000), ("sliding", 105_000)])
    func countersExpireWhenNoWindowNeedsThem(windowType: String, lifetime: Int) async throws {
        let harness = try Self.harness(#""minute": 5, "window_type": "\#(windowType)""#)
        harness.clock.advance(by: 15)
        let request = Self.caller()
        _ = try await harness.run(request)
        let key = "ratelimit:{global:header:\(request.headers.first(name: "x-caller")!)}:minute:\(1_767_225_600)"
        let client = RedisClient(
            configuration: try RedisConfiguration(url: RedisTestEnvironment.requireURL()),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: .init(label: "rate-limiting-tests")
        )
        // Some time passed since (much on a busy machine): the lifetimes are 45 s and 105 s.
        let milliseconds = try await client.send("PTTL", RedisArgument(key)).int ?? -2
        #expect(milliseconds > lifetime - 30_000 && milliseconds <= lifetime)
        #expect(try await client.send("GET", RedisArgument(key)).int == 1)
        await client.close()
        await harness.close()
    }
}

/// The `redis` policy when Redis cannot be reached (nothing listens on port 1).
@Suite struct RateLimitingRedisFailureTests {
    private static func harness(faultTolerant: Bool) throws -> PluginHarness {
        try PluginHarness(
            RateLimitingPlugin.self,
            config: #"{"minute": 1, "policy": "redis", "redis_url": "redis://127.0.0.1:1/0", "fault_tolerant": \#(faultTolerant)}"#
        )
    }

    @Test func faultTolerantLetsRequestsThroughWithoutHeaders() async throws {
        let harness = try Self.harness(faultTolerant: true)
        for _ in 0..<3 {
            let run = try await harness.run(TestRequest())
            #expect(!run.wasAnswered)
            #expect(run.clientHeaderChanges.isEmpty)
        }
        await harness.close()
    }

    @Test func otherwiseAnswers500() async throws {
        let harness = try Self.harness(faultTolerant: false)
        let run = try await harness.run(TestRequest())
        #expect(run.response.status == .internalServerError)
        #expect(run.response.body == #"{"message":"An unexpected error occurred"}"#)
        await harness.close()
    }
}
