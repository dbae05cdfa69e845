import Logging
import NIOConcurrencyHelpers

/// The embedded event bus: subscriptions in this process, each with its own queue and task, delivering in publish
/// order. A handler that throws gets the event again after a growing pause (up to `maximumAttempts`, after which
/// the event is logged as dropped); `close()` stops the queues after delivering what they hold.
public final class InProcessEventBus: EventBus {
    private struct Subscription {
        let pattern: String
        let continuation: AsyncStream<EventEnvelope>.Continuation
        let task: Task<Void, Never>
    }

    private let subscriptions = NIOLockedValueBox<[Subscription]>([])
    private let logger: Logger
    private let maximumAttempts: Int
    private let retryDelay: Duration

    /// A bus whose handlers get up to `maximumAttempts` tries per event, `retryDelay` doubling between them.
    public init(logger: Logger, maximumAttempts: Int = 8, retryDelay: Duration = .milliseconds(100)) {
        self.logger = logger
        self.maximumAttempts = maximumAttempts
        self.retryDelay = retryDelay
    }

    public func publish(_ event: EventEnvelope) async throws {
        let matching = self.subscriptions.withLockedValue { $0.filter { TopicPattern.matches($0.pattern, event.type) } }
        for subscription in matching {
            subscription.continuation.yield(event)
        }
    }

    public func subscribe(
        _ pattern: String, name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws {
        let (stream, continuation) = AsyncStream<EventEnvelope>.makeStream()
        let logger = self.logger
        let maximumAttempts = self.maximumAttempts
        let retryDelay = self.retryDelay
        let task = Task {
            for await event in stream {
                var delay = retryDelay
                for attempt in 1...maximumAttempts {
                    do {
                        try await handler(event)
                        break
                    } catch {
                        let metadata: Logger.Metadata = [
                            "subscription": "\(name)", "event.id": "\(event.id)", "event.type": "\(event.type)",
                            "attempt": "\(attempt)", "error": "\(error)",
                        ]
                        if attempt == maximumAttempts {
                            logger.error("event handler failed; event dropped", metadata: metadata)
                        } else {
                            logger.warning("event handler failed; retrying", metadata: metadata)
                            try? await Task.sleep(for: delay)
                            delay *= 2
                        }
                    }
                }
            }
        }
        self.subscriptions.withLockedValue {
            $0.append(Subscription(pattern: pattern, continuation: continuation, task: task))
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
