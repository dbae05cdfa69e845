import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import OrderService
import ServiceKit
import ServiceKitTesting
import Testing

/// The dependency client against a real server on loopback that fails on purpose: retries of idempotent calls,
/// none of the others, a deadline on a server that does not answer, and the circuit breaker.
@Suite struct DependencyClientTests {
    /// A server whose `/flaky` answers 503 `failures` times and then 200, whose `/slow` answers after 2 s, and
    /// which counts the requests it got.
    static func withFlakyServer(
        failures: Int, _ body: (String, NIOLockedValueBox<Int>) async throws -> Void
    ) async throws {
        let count = NIOLockedValueBox(0)
        let router = Router()
        router.get("/flaky") { _, _ -> Response in
            let seen = count.withLockedValue { value -> Int in
                value += 1
                return value
            }
            return Response(status: seen <= failures ? .serviceUnavailable : .ok)
        }
        router.post("/flaky") { _, _ -> Response in
            count.withLockedValue { $0 += 1 }
            return Response(status: .serviceUnavailable)
        }
        router.get("/slow") { _, _ -> Response in
            count.withLockedValue { $0 += 1 }
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok)
        }
        try await withRunningService({ onRunning in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) },
                logger: ServiceTestEnvironment.logger)
        }) { port in
            try await body("http://127.0.0.1:\(port)", count)
        }
    }

    static func client(
        _ url: String, breaker: CircuitBreaker = CircuitBreaker(name: "test"), timeout: Duration = .seconds(10)
    )
        -> DependencyClient
    {
        DependencyClient(
            service: "test", baseURL: url,
            policy: DependencyClient.Policy(
                timeout: timeout,
                retry: RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50))
            ),
            breaker: breaker, authorization: { "Bearer token" }, logger: ServiceTestEnvironment.logger)
    }

    @Test func idempotentCallsAreRetriedUntilTheyAreAnswered() async throws {
        try await Self.withFlakyServer(failures: 2) { url, count in
            let answer = try await Self.client(url).send(.GET, "/flaky", idempotent: true)
            #expect(answer.status == 200)
            #expect(count.withLockedValue { $0 } == 3)
        }
    }

    @Test func otherCallsAreNotRetried() async throws {
        try await Self.withFlakyServer(failures: 0) { url, count in
            await #expect(throws: DependencyError.self) {
                try await Self.client(url).send(.POST, "/flaky", idempotent: false)
            }
            #expect(count.withLockedValue { $0 } == 1)
        }
    }

    @Test func aServerThatDoesNotAnswerMeetsTheDeadline() async throws {
        try await Self.withFlakyServer(failures: 0) { url, count in
            let client = Self.client(url, timeout: .milliseconds(200))
            let error = await #expect(throws: DependencyError.self) {
                try await client.send(.GET, "/slow", idempotent: true)
            }
            #expect(error?.problem.status == .serviceUnavailable)
            #expect(count.withLockedValue { $0 } == 3)
        }
    }

    @Test func theCircuitOpensAfterConsecutiveFailuresAndRefusesWithoutCalling() async throws {
        try await Self.withFlakyServer(failures: 100) { url, count in
            let breaker = CircuitBreaker(name: "test", failureThreshold: 3, openDuration: .seconds(60))
            let client = Self.client(url, breaker: breaker)
            await #expect(throws: DependencyError.self) { try await client.send(.GET, "/flaky", idempotent: true) }
            #expect(breaker.isOpen)
            #expect(count.withLockedValue { $0 } == 3)
            let error = await #expect(throws: DependencyError.self) {
                try await client.send(.GET, "/flaky", idempotent: true)
            }
            #expect(count.withLockedValue { $0 } == 3)
            #expect(error?.problem.headers[.retryAfter] != nil)
        }
    }
}
