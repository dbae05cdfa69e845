import NIOConcurrencyHelpers
import Redis

/// Counts the outcomes of commands sent by concurrent tasks.
final class TrafficCounter: Sendable {
    struct Snapshot: Sendable {
        var successes = 0
        var failures = 0
        /// Failures other than the connection errors a stopped server causes.
        var unexpectedErrors: [RedisError] = []
    }

    private let state = NIOLockedValueBox(Snapshot())

    func recordSuccess() {
        self.state.withLockedValue { $0.successes += 1 }
    }

    func recordFailure(_ error: RedisError) {
        self.state.withLockedValue {
            $0.failures += 1
            if ![.connectionFailed, .connectionClosed].contains(error.code) { $0.unexpectedErrors.append(error) }
        }
    }

    func snapshot() -> Snapshot {
        self.state.withLockedValue { $0 }
    }

    /// Waits until `condition` holds, checking every 10 ms; fails after `seconds`.
    func wait(seconds: Int, _ what: String, until condition: (Snapshot) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(seconds))
        while !condition(self.snapshot()) {
            guard clock.now < deadline else {
                throw TestFailure("\(what): still \(self.snapshot()) after \(seconds) s")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
