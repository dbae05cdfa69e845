import GatewayTesting
import NIOCore
import NIOPosix
import Testing

@testable import GatewayPlugins

@Suite struct LocalCounterStoreTests {
    private static func key(_ name: String) -> LocalCounterStore.Key {
        LocalCounterStore.Key(scope: "global", identifier: RateLimitIdentifier(.ip, name))
    }

    /// Counts one request for `key` on `loop`, as the plugin does on the request's loop.
    private static func hit(
        _ store: LocalCounterStore,
        _ key: LocalCounterStore.Key,
        _ limits: [RateLimit],
        clock: TestClock,
        on loop: any EventLoop
    ) async throws -> RateLimitDecision {
        try await loop.submit {
            store.hit(key, windows: limits.map { RateLimitWindow($0, at: clock.now(), sliding: false) }, on: loop)
        }.get()
    }

    @Test func exactAcrossEventLoopsHittingTheSameKeyAtOnce() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 4)
        let clock = TestClock()
        let store = LocalCounterStore(eventLoopGroup: group, clock: clock)
        let limits = [RateLimit(.second, 700), RateLimit(.minute, 1_000)]
        let key = Self.key("10.0.0.1")
        let admitted = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for loop in group.makeIterator() {
                tasks.addTask {
                    try await loop.submit {
                        var admitted = 0
                        for _ in 0..<500 {
                            let windows = limits.map { RateLimitWindow($0, at: clock.now(), sliding: false) }
                            if store.hit(key, windows: windows, on: loop).admitted { admitted += 1 }
                        }
                        return admitted
                    }.get()
                }
            }
            return try await tasks.reduce(0, +)
        }
        #expect(admitted == 700)
        clock.advance(by: 1)
        let next = try await Self.hit(store, key, limits, clock: clock, on: group.next())
        #expect(next.admitted)
        #expect(next.usages.map(\.remaining) == [699, 299])
        try await group.shutdownGracefully()
    }

    @Test func countersNoWindowNeedsAreFreed() async throws {
        let clock = TestClock()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let store = LocalCounterStore(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, clock: clock)
        for index in 0..<100 {
            _ = try await Self.hit(store, Self.key("10.0.0.\(index)"), [RateLimit(.minute, 5)], clock: clock, on: loop)
        }
        #expect(store.count == 100)
        // The next minute still needs them (a sliding window would weigh them).
        clock.advance(by: 119)
        _ = try await Self.hit(store, Self.key("10.0.1.0"), [RateLimit(.minute, 5)], clock: clock, on: loop)
        #expect(store.count == 101)
        // The next sweep, `sweepInterval` later, drops them.
        clock.advance(by: LocalCounterStore.sweepInterval)
        _ = try await Self.hit(store, Self.key("10.0.1.1"), [RateLimit(.minute, 5)], clock: clock, on: loop)
        #expect(store.count == 2)
    }

    /// A loop holding a cell that another loop retired counts in the cell that replaces it.
    @Test func aRetiredCellIsReplacedForLoopsStillHoldingIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let (first, second) = (loops[0], loops[1])
        let clock = TestClock()
        let store = LocalCounterStore(eventLoopGroup: group, clock: clock)
        let limits = [RateLimit(.minute, 1)]
        let key = Self.key("10.0.0.1")
        #expect(try await Self.hit(store, key, limits, clock: clock, on: first).admitted)
        clock.advance(by: 115)
        _ = try await Self.hit(store, Self.key("b1"), limits, clock: clock, on: second)  // sweeps the shared table
        clock.advance(by: 3)
        _ = try await Self.hit(store, Self.key("a1"), limits, clock: clock, on: first)  // the first loop's sweep
        clock.advance(by: 8)
        // The shared sweep is due again: the key's cell (no window needs it at 126 s) is retired.
        _ = try await Self.hit(store, Self.key("b2"), limits, clock: clock, on: second)
        #expect(store.count == 3)
        // The first loop still holds the retired cell; it counts in a new one, once.
        clock.advance(by: 1)
        #expect(try await Self.hit(store, key, limits, clock: clock, on: first).admitted)
        #expect(try await !Self.hit(store, key, limits, clock: clock, on: second).admitted)
        #expect(try await !Self.hit(store, key, limits, clock: clock, on: first).admitted)
        #expect(store.count == 4)
        try await group.shutdownGracefully()
    }
}
