import NIOCore
import Testing

@testable import Redis

@Suite struct RedisReconnectBackoffTests {
    @Test func doublesFromInitialUpToMaximum() {
        let backoff = RedisReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (1...7).map { backoff.delay(afterFailures: $0) }
        #expect(
            delays == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1), .seconds(1),
            ]
        )
    }

    @Test func neverOverflowsAfterManyFailures() {
        let backoff = RedisReconnectBackoff(initial: .seconds(1), maximum: .seconds(30))
        #expect(backoff.delay(afterFailures: 1_000_000) == .seconds(30))
        #expect(backoff.delay(afterFailures: 64) == .seconds(30))
    }
}
