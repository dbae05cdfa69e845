import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// A value that a thread of the bus delivers once and async code waits for (a subscription's first setup, a
/// thread's end). Later deliveries are ignored.
final class OneShot<Value: Sendable>: Sendable {
    private let state = NIOLockedValueBox<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    /// Whether the value has been delivered.
    var isDelivered: Bool { self.state.withLockedValue { $0.value != nil } }

    /// Delivers `value` to every waiter, present and future, unless a value was delivered before.
    func deliver(_ value: Value) {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The value, once delivered.
    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let value = self.state.withLockedValue { state -> Value? in
                if let value = state.value { return value }
                state.waiters.append(continuation)
                return nil
            }
            if let value { continuation.resume(returning: value) }
        }
    }
}

/// A queue from async code to one thread of the bus: `put` never blocks; `takeAll` blocks the thread until there
/// is something, and answers `nil` once the queue is closed and empty.
final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    // `condition` guards `elements` and `closed`.
    private let condition = NSCondition()
    private var elements: [Element] = []
    private var closed = false

    /// Adds `element`; `false` when the queue is closed.
    func put(_ element: Element) -> Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard !self.closed else { return false }
        self.elements.append(element)
        self.condition.signal()
        return true
    }

    /// Everything queued, oldest first, waiting for at least one element; `nil` when closed and empty.
    func takeAll() -> [Element]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.elements.isEmpty && !self.closed { self.condition.wait() }
        guard !self.elements.isEmpty else { return nil }
        defer { self.elements = [] }
        return self.elements
    }

    /// Takes no more elements; `takeAll` hands out what is left, then `nil`.
    func close() {
        self.condition.lock()
        defer { self.condition.unlock() }
        self.closed = true
        self.condition.broadcast()
    }
}

enum BusThreads {
    /// Starts a thread named `name` running `body`.
    static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Runs blocking `body` on a new thread and returns its result.
    static func run<Value: Sendable>(
        _ name: String, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Self.start(name) { continuation.resume(with: Result(catching: body)) }
        }
    }

    /// Runs async `body` as a task and blocks the calling thread (one of the bus's own, never a Swift concurrency
    /// thread) until it ends, calling `meanwhile` every `interval` while it runs; what it threw, described, or `nil`.
    static func wait(
        for body: @escaping @Sendable () async throws -> Void, every interval: Duration, meanwhile: () -> Void
    ) -> String? {
        let done = DispatchSemaphore(value: 0)
        let failure = NIOLockedValueBox<String?>(nil)
        Task {
            do {
                try await body()
            } catch {
                failure.withLockedValue { $0 = "\(error)" }
            }
            done.signal()
        }
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000
            + Int(interval.components.attoseconds / 1_000_000_000)
        while done.wait(timeout: .now() + .nanoseconds(max(1_000_000, nanoseconds))) == .timedOut {
            meanwhile()
        }
        return failure.withLockedValue { $0 }
    }

    /// Sleeps `duration` in short steps; `false` as soon as `stopping()` says so.
    static func pause(_ duration: Duration, unless stopping: () -> Bool) -> Bool {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if stopping() { return false }
            Thread.sleep(forTimeInterval: min(0.05, Self.seconds(end - ContinuousClock.now)))
        }
        return !stopping()
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }
}
