import Logging
import NIOConcurrencyHelpers

/// One subscription's consumer, on a thread of its own with its own connection: declares the exchange, the
/// durable queue bound with each of the subscription's patterns, its dead-letter queue and its retry queue, then
/// takes one message at a time (prefetch 1, manual acks). A message is acked after its handler succeeded.
///
/// A message whose handler throws is not retried in place, which would hold up the queue behind it (an event
/// that waits for another one queued later would never see it): a copy counting the failed attempts in a header
/// goes to the retry queue with an expiration of the retry policy's pause (exponential, with jitter), confirmed
/// by the broker before the message is acked; when it expires the broker moves it back to the consumer's queue.
/// After the policy's attempts the message is rejected instead, which moves it to the dead-letter queue. (The
/// retry queue expires messages in order, so a retry behind a longer one waits for it.)
///
/// While a handler runs the thread keeps servicing the socket (heartbeats), so a handler longer than the heartbeat
/// timeout does not cost the connection. When the connection fails (the broker restarts) the consumer reconnects
/// with growing pauses and declares and subscribes again; what it had not acked the broker delivers again.
final class RabbitMQConsumer: Sendable {
    /// What the consumer consumes and how it retries.
    struct Settings: Sendable {
        let configuration: AMQPConfiguration
        let exchange: String
        let queue: String
        let deadLetterQueue: String
        let retryQueue: String
        let patterns: [String]
        let retry: RetryPolicy
        /// The heartbeat interval proposed to the broker, in seconds.
        let heartbeat: Int
    }

    private let settings: Settings
    private let handler: @Sendable (EventEnvelope) async throws -> Void
    private let logger: Logger
    private let stopping = NIOLockedValueBox(false)
    private let ready = OneShot<Result<Void, AMQPError>>()
    private let finished = OneShot<Void>()

    private init(settings: Settings, handler: @escaping @Sendable (EventEnvelope) async throws -> Void, logger: Logger)
    {
        self.settings = settings
        self.handler = handler
        var logger = logger
        logger[metadataKey: "subscription"] = "\(settings.queue)"
        self.logger = logger
    }

    /// Starts consuming; returns once the queue is declared, bound and consumed.
    ///
    /// - Throws: `AMQPError` when the first connection or declaration fails (then nothing keeps running).
    static func start(
        _ settings: Settings, handler: @escaping @Sendable (EventEnvelope) async throws -> Void, logger: Logger
    ) async throws -> RabbitMQConsumer {
        let consumer = RabbitMQConsumer(settings: settings, handler: handler, logger: logger)
        BusThreads.start("amqp-consumer-\(settings.queue)") {
            consumer.run()
            consumer.finished.deliver(())
        }
        try await consumer.ready.value().get()
        return consumer
    }

    /// Stops taking messages (one being handled is finished first) and closes the connection.
    func stop() async {
        self.stopping.withLockedValue { $0 = true }
        await self.finished.value()
    }

    private var isStopping: Bool { self.stopping.withLockedValue { $0 } }

    private func run() {
        var pause = Duration.milliseconds(100)
        while !self.isStopping {
            do {
                let connection = try AMQPConnection.open(
                    self.settings.configuration, heartbeat: self.settings.heartbeat, timeout: .seconds(10))
                try connection.declareTopicExchange(self.settings.exchange)
                try connection.declareQueue(
                    self.settings.queue, deadLetterQueue: self.settings.deadLetterQueue,
                    retryQueue: self.settings.retryQueue, boundTo: self.settings.exchange,
                    patterns: self.settings.patterns)
                // Confirms for the copies sent to the retry queue; with prefetch 1 nothing else arrives meanwhile.
                try connection.selectConfirms()
                try connection.consume(self.settings.queue, prefetch: 1)
                if self.ready.isDelivered {
                    self.logger.info("event subscription reconnected")
                } else {
                    self.ready.deliver(.success(()))
                }
                pause = .milliseconds(100)
                while !self.isStopping {
                    if let delivery = try connection.nextDelivery(timeout: .milliseconds(200)) {
                        try self.handle(delivery, on: connection)
                    }
                }
                connection.close()
            } catch {
                let failure = error as? AMQPError ?? AMQPError("consume", "\(error)")
                guard self.ready.isDelivered else {
                    self.ready.deliver(.failure(failure))
                    return
                }
                self.logger.warning(
                    "event subscription lost its connection; reconnecting", metadata: ["error": "\(failure)"])
                _ = BusThreads.pause(pause) { self.isStopping }
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    private func handle(_ delivery: AMQPConnection.Delivery, on connection: AMQPConnection) throws {
        guard let event = try? EventEnvelope.parse(String(decoding: delivery.body, as: UTF8.self)) else {
            self.logger.error("undecodable event; moved to the dead-letter queue")
            try connection.reject(delivery.deliveryTag)
            return
        }
        let attempt = delivery.failedAttempts + 1
        guard let failure = try self.runHandler(event, keepingAlive: connection) else {
            try connection.ack(delivery.deliveryTag)
            return
        }
        var metadata: Logger.Metadata = [
            "event.id": "\(event.id)", "event.type": "\(event.type)", "attempt": "\(attempt)", "error": "\(failure)",
        ]
        let retry = self.settings.retry
        guard attempt < retry.maximumAttempts else {
            self.logger.error("event handler failed; event moved to the dead-letter queue", metadata: metadata)
            try connection.reject(delivery.deliveryTag)
            return
        }
        let delay = retry.delay(afterAttempt: attempt)
        metadata["retry.delay"] = "\(delay)"
        self.logger.warning("event handler failed; retrying later", metadata: metadata)
        try connection.publishRetry(
            queue: self.settings.retryQueue, messageID: event.id, type: event.type, failedAttempts: attempt,
            delay: delay, body: delivery.body)
        switch try connection.nextConfirm(timeout: RabbitMQPublisher.confirmTimeout) {
        case .ack:
            try connection.ack(delivery.deliveryTag)
        case .nack:
            throw AMQPError("basic.publish to \(self.settings.retryQueue)", "the broker refused the retry")
        case nil:
            throw AMQPError(
                "basic.publish to \(self.settings.retryQueue)",
                "no confirm from the broker within \(RabbitMQPublisher.confirmTimeout)")
        }
    }

    /// Runs the handler on `event` as a task while this thread services the connection a few times per heartbeat
    /// interval; the handler's error, described, or `nil`.
    ///
    /// - Throws: `AMQPError` when the connection failed meanwhile (after the handler ended: the message was not
    ///   acked, and the broker delivers it again once the consumer has reconnected).
    private func runHandler(_ event: EventEnvelope, keepingAlive connection: AMQPConnection) throws -> String? {
        let handler = self.handler
        var lost: (any Error)?
        let interval: Duration = self.settings.heartbeat > 0 ? .seconds(self.settings.heartbeat) / 4 : .seconds(1)
        let failure = BusThreads.wait(for: { try await handler(event) }, every: interval) {
            guard lost == nil else { return }
            do {
                try connection.keepAlive(for: .milliseconds(1))
            } catch {
                lost = error
            }
        }
        if let lost { throw lost }
        return failure
    }
}
