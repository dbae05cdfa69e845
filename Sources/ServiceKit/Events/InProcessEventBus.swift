import Logging
import NIOConcurrencyHelpers

/// The embedded event bus: subscriptions in this process, each with its own queue and task, delivering in publish
/// order. A handler that throws gets the event again after the pause `retry` gives (growing, with jitter), up to
/// its attempts, after which the event is logged as dropped; `close()` stops the queues after delivering what
/// they hold.
public final class InProcessEventBus: EventBus {
    private struct Subscription {
        let patterns: [String]
        let continuation: AsyncStream<EventEnvelope>.Continuation
        let task: Task<Void, Never>
    }

    private let subscriptions = NIOLockedValueBox<[Subscription]>([])
    private let logger: Logger
    private let retry: RetryPolicy

    /// A bus whose handlers are retried by `retry`.
    public init(logger: Logger, retry: RetryPolicy = .inProcessEventHandlers) {
        self.logger = logger
        self.retry = retry
    }

    public func publish(_ event: EventEnvelope) async throws {
        let matching = self.subscriptions.withLockedValue {
            $0.filter { TopicPattern.matches(any: $0.patterns, event.type) }
        }
        for subscription in matching {
            subscription.continuation.yield(event)
        }
    }

    public func subscribe(
        _ patterns: [String], name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws {
        let (stream, continuation) = AsyncStream<EventEnvelope>.makeStream()
        let logger = self.logger
        let retry = self.retry
        let task = Task {
            for await event in stream {
                for attempt in 1...retry.maximumAttempts {
                    do {
                        try await handler(event)
                        break
                    } catch {
                        let metadata: Logger.Metadata = [
                            "subscription": "\(name)", "event.id": "\(event.id)", "event.type": "\(event.type)",
                            "attempt": "\(attempt)", "error": "\(error)",
                        ]
                        if attempt == retry.maximumAttempts {
                            logger.error("event handler failed; event dropped", metadata: metadata)
                        } else {
                            logger.warning("event handler failed; retrying", metadata: metadata)
                            try? await Task.sleep(for: retry.delay(afterAttempt: attempt))
                        }
                    }
                }
            }
        }
        self.subscriptions.withLockedValue {
            $0.append(Subscription(patterns: patterns, continuation: continuation, task: task))
        }
    }

    /// Stops taking events and waits until every subscription has handled what it had queued.
    public func close() async {
        let subscriptions = self.subscriptions.withLockedValue { current in
            defer { current = [] }
            return current
        }
        for subscription in subscriptions { subscription.continuation.finish() }
        for subscription in subscriptions { await subscription.task.value }
    }
}
