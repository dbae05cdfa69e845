import Foundation
import Testing

/// The Redis that `make test` starts (`REDIS_URL`). Without it the tests that need it are skipped, except under
/// `CI=true`, where they run and fail.
enum RedisTestEnvironment {
    static let url = ProcessInfo.processInfo.environment["REDIS_URL"]
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the tests on the shared Redis run: it is there, or CI requires it.
    static let testsRun = url != nil || isCI
    static let missing: Comment = "REDIS_URL is not set: run `make test`, or start redis-server and set REDIS_URL"

    /// The shared Redis' URL; fails the test when it is missing (under CI).
    static func requireURL() throws -> String {
        try #require(url, "REDIS_URL is not set: run the tests with `make test`")
    }
}
