import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Redis
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the Redis tests find on this machine. `make test` starts a private Redis and exports `REDIS_URL`; without
/// it the tests that need that server are skipped, except under `CI=true`, where they run and fail.
enum TestEnvironment {
    static let redisURL: String? = getenv("REDIS_URL").map { String(cString: $0) }
    static let isCI = getenv("CI").map { String(cString: $0) } == "true"

    /// Whether the tests on the shared server run: it is there, or CI requires it.
    static let sharedRedisTestsRun = redisURL != nil || isCI
    static let sharedRedisMissing: Comment =
        "REDIS_URL is not set: run `make test`, or start redis-server and set REDIS_URL=redis://127.0.0.1:PORT/0"

    /// Whether the tests that start their own redis-server run: it is on the PATH, or CI requires it.
    static let privateRedisTestsRun = redisServerPath != nil || isCI
    static let redisServerMissing: Comment = "redis-server is not on the PATH: install it (make test-packages)"

    /// The shared server's URL; fails the test when it is missing (under CI).
    static func requireRedisURL() throws -> String {
        guard let url = redisURL else { throw TestFailure("REDIS_URL is not set: run the tests with `make test`") }
        return url
    }

    static let redisServerPath: String? = {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/redis-server", X_OK) == 0 {
            return "\(directory)/redis-server"
        }
        return nil
    }()

    static let logger = Logger(label: "redis-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a client for `configuration` on the shared event loop group, and closes the client afterwards.
func withClient(_ configuration: RedisConfiguration, _ body: (RedisClient) async throws -> Void) async throws {
    let client = RedisClient(
        configuration: configuration,
        eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
        logger: TestEnvironment.logger
    )
    do {
        try await body(client)
        await client.close()
    } catch {
        await client.close()
        throw error
    }
}

/// A key no other test (or test run) uses.
func uniqueKey(_ name: String) -> String {
    "redis-tests:\(name):\(UInt64.random(in: 0...UInt64.max))"
}

/// Ports `freePort()` handed out in this test run, so that no two private servers share one.
private let handedOutPorts = NIOLockedValueBox<Set<Int>>([])

/// A loopback TCP port that nothing listens on right now, below the ephemeral range (where the kernel picks the
/// local ports of outgoing connections, which would make a server's bind fail) and not given to another test.
func freePort() async throws -> Int {
    let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let ephemeralStart = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
    for _ in 0..<100 {
        let port = Int.random(in: 10_000..<max(ephemeralStart, 10_001))
        guard handedOutPorts.withLockedValue({ $0.insert(port).inserted }) else { continue }
        guard
            let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
        else { continue }
        try await channel.close()
        return port
    }
    throw TestFailure("no free loopback port")
}

/// Fails when `body` takes longer than `seconds`: a guard against hangs, not a timing assertion.
func withHangGuard<Result: Sendable>(
    seconds: Int,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let result = first else {
            group.cancelAll()
            throw TestFailure("\(what) did not finish within \(seconds) s")
        }
        group.cancelAll()
        return result
    }
}
