import Logging
import NIOConcurrencyHelpers

/// The event bus on a RabbitMQ broker (`EVENT_BUS=amqp://...`), through rabbitmq-c on threads of its own.
///
/// Events go to the durable topic exchange `acme.events` with their type as routing key, as persistent messages
/// with publisher confirms: `publish` returns once the broker has the event on disk, so the outbox relay marks an
/// event sent only then. Each subscription is one durable queue named by the subscription's `name` (a service's
/// own, like `notifications`) and bound with each of its patterns (`user.*`, `order.*`, ...), so the service gets
/// its events in one order; the instances of a service subscribing with the same name share its events, and the
/// queue keeps them while no instance runs. A message is acked after its handler succeeded; a failing one waits
/// out the retry policy's pause (exponential, with jitter) in the queue `<name>.retry`, out of the way of the
/// events behind it, and comes back; after its last attempt it moves to the queue `<name>.dead`
/// (`takeDeadLetter(subscription:)` reads it). Consumers reconnect and
/// subscribe again after the broker restarts; an unacked message is delivered again, so handlers must tolerate
/// redeliveries (see `ConsumedEvents`).
public final class RabbitMQEventBus: EventBus {
    /// The exchange every event is published to.
    public static let exchange = "acme.events"

    private let configuration: AMQPConfiguration
    private let logger: Logger
    private let retry: RetryPolicy
    private let heartbeat: Int
    private let publisher: RabbitMQPublisher
    private let subscriptions = NIOLockedValueBox<(names: Set<String>, consumers: [RabbitMQConsumer])>(([], []))

    /// A bus on the broker at `configuration`; it connects at the first publish and at each subscription. A
    /// failing handler is retried by `configuration.retry`. The consumers' connections propose `heartbeatSeconds`
    /// to the broker (it drops a connection that stays silent for two intervals; the consumers keep talking while
    /// a handler runs, so only a dead process or network loses it).
    public init(configuration: AMQPConfiguration, logger: Logger, heartbeatSeconds: Int = 30) {
        self.configuration = configuration
        self.logger = logger
        self.retry = configuration.retry
        self.heartbeat = heartbeatSeconds
        self.publisher = RabbitMQPublisher(configuration: configuration, exchange: Self.exchange, logger: logger)
    }

    /// Publishes `event`; returns once the broker confirmed it.
    ///
    /// - Throws: `AMQPError` when the broker cannot be reached, refuses the event, or the connection fails before
    ///   its confirm (the event may then still arrive: publish it again, consumers ignore the duplicate).
    public func publish(_ event: EventEnvelope) async throws {
        try await self.publisher.publish([event])[0].get()
    }

    /// Publishes `events` in order, pipelined on the publisher's channel; each event's outcome is a success once
    /// the broker confirmed it (a failed one may still arrive: publish it again, consumers ignore the duplicate).
    public func publish(_ events: [EventEnvelope]) async -> [Result<Void, any Error>] {
        await self.publisher.publish(events)
    }

    /// Subscribes the durable queue `name` (declared if new, with its dead-letter queue `<name>.dead` and its retry
    /// queue `<name>.retry`) to the events matching any of `patterns` (one binding each), and consumes it; returns
    /// once the queue is bound and consumed, so every event published afterwards reaches it. One subscription per
    /// name on a bus. A binding left on the broker's queue from an earlier run with other patterns stays until
    /// removed on the broker.
    ///
    /// - Throws: `AMQPError` when the broker cannot be reached or refuses the declarations, `patterns` is empty,
    ///   or `name` is already subscribed on this bus.
    public func subscribe(
        _ patterns: [String], name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws {
        guard !patterns.isEmpty else { throw AMQPError("subscribe \(name)", "no routing patterns to bind") }
        let reserved = self.subscriptions.withLockedValue { $0.names.insert(name).inserted }
        guard reserved else {
            throw AMQPError("subscribe \(name)", "already subscribed on this bus; bind all its patterns at once")
        }
        let settings = RabbitMQConsumer.Settings(
            configuration: self.configuration, exchange: Self.exchange, queue: name,
            deadLetterQueue: Self.deadLetterQueue(of: name), retryQueue: Self.retryQueue(of: name),
            patterns: patterns, retry: self.retry, heartbeat: self.heartbeat)
        do {
            let consumer = try await RabbitMQConsumer.start(settings, handler: handler, logger: self.logger)
            self.subscriptions.withLockedValue { $0.consumers.append(consumer) }
        } catch {
            self.subscriptions.withLockedValue { _ = $0.names.remove(name) }
            throw error
        }
    }

    /// Takes the oldest event from the dead-letter queue of the subscription `name` (it leaves the queue), or
    /// `nil` when there is none: for inspecting and replaying events whose handler kept failing.
    public func takeDeadLetter(subscription name: String) async throws -> EventEnvelope? {
        let configuration = self.configuration
        let queue = Self.deadLetterQueue(of: name)
        let body = try await BusThreads.run("amqp-dead-letters") {
            let connection = try AMQPConnection.open(configuration, heartbeat: 0, timeout: .seconds(10))
            defer { connection.close() }
            return try connection.get(queue)
        }
        return try body.map { try EventEnvelope.parse(String(decoding: $0, as: UTF8.self)) }
    }

    /// Stops the consumers (each finishes the event it is handling; what is not acked stays in its queue),
    /// publishes what is queued and closes the connections.
    public func close() async {
        let consumers = self.subscriptions.withLockedValue { state in
            defer { state.consumers = [] }
            return state.consumers
        }
        for consumer in consumers { await consumer.stop() }
        await self.publisher.close()
    }

    /// The dead-letter queue of the subscription `name`.
    public static func deadLetterQueue(of name: String) -> String { "\(name).dead" }

    /// The queue where the subscription `name`'s failed events wait for their next attempt.
    public static func retryQueue(of name: String) -> String { "\(name).retry" }
}
