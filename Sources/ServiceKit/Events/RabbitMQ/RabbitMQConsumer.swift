import Logging
import NIOConcurrencyHelpers

/// One subscription's consumer, on a thread of its own with its own connection: declares the exchange, the
/// durable queue bound with the subscription's pattern and its dead-letter queue, then takes one message at a
/// time (prefetch 1, manual acks). A message is acked after its handler succeeded; a handler that throws gets it
/// again after a pause that doubles each time, and after `maximumAttempts` tries the message is rejected, which
/// moves it to the dead-letter queue. When the connection fails (the broker restarts) the consumer reconnects
/// with growing pauses and declares and subscribes again; what it had not acked the broker delivers again.
final class RabbitMQConsumer: Sendable {
    /// What the consumer consumes and how it retries.
    struct Settings: Sendable {
        let configuration: AMQPConfiguration
        let exchange: String
        let queue: String
        let deadLetterQueue: String
        let pattern: String
        let maximumAttempts: Int
        let retryDelay: Duration
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
                    self.settings.configuration, heartbeat: 30, timeout: .seconds(10))
                try connection.declareTopicExchange(self.settings.exchange)
                try connection.declareQueue(
                    self.settings.queue, deadLetterQueue: self.settings.deadLetterQueue,
                    boundTo: self.settings.exchange, pattern: self.settings.pattern)
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
        let handler = self.handler
        var delay = self.settings.retryDelay
        for attempt in 1...max(1, self.settings.maximumAttempts) {
            guard let failure = BusThreads.wait(for: { try await handler(event) }) else {
                try connection.ack(delivery.deliveryTag)
                return
            }
            let metadata: Logger.Metadata = [
                "event.id": "\(event.id)", "event.type": "\(event.type)", "attempt": "\(attempt)",
                "error": "\(failure)",
            ]
            if attempt >= self.settings.maximumAttempts {
                self.logger.error("event handler failed; event moved to the dead-letter queue", metadata: metadata)
                try connection.reject(delivery.deliveryTag)
                return
            }
            self.logger.warning("event handler failed; retrying", metadata: metadata)
            // Stopping: the message stays unacked and the broker delivers it again to the next consumer.
            guard BusThreads.pause(delay, unless: { self.isStopping }) else { return }
            delay *= 2
        }
    }
}
