import Logging
import NIOConcurrencyHelpers

/// Publishes events to the exchange from a thread of its own, over one connection whose channel is in confirm
/// mode. An event's outcome is a success once the broker confirmed the message (a persistent message in durable
/// queues: on disk), and a failure when the broker nacked it or the connection failed before its confirm, so the
/// caller (the outbox relay) keeps the event and tries again. Publishes queued while the thread waits are sent together
/// and their confirms awaited together. The connection opens at the first publish and again after a failure.
final class RabbitMQPublisher: Sendable {
    private struct Request: Sendable {
        let routingKey: String
        let messageID: String
        let body: [UInt8]
        /// Called once with the broker's answer.
        let settle: @Sendable (Result<Void, AMQPError>) -> Void
    }

    /// How long the broker may take to confirm a batch before the connection is given up.
    static let confirmTimeout: Duration = .seconds(30)

    private let requests = BlockingQueue<Request>()
    private let finished = OneShot<Void>()

    /// Starts the publishing thread for `exchange` on the broker at `configuration`.
    init(configuration: AMQPConfiguration, exchange: String, logger: Logger) {
        let requests = self.requests
        let finished = self.finished
        BusThreads.start("amqp-publisher") {
            Self.run(requests, configuration: configuration, exchange: exchange, logger: logger)
            finished.deliver(())
        }
    }

    /// Publishes `events`, in order, with their types as routing keys, pipelined on the one channel; returns
    /// once the broker confirmed or refused each (or the connection failed), each event's outcome in order.
    func publish(_ events: [EventEnvelope]) async -> [Result<Void, any Error>] {
        guard !events.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let outcomes = PublishOutcomes(count: events.count) { continuation.resume(returning: $0) }
            for (index, event) in events.enumerated() {
                let body: [UInt8]
                do {
                    body = Array(try event.jsonText().utf8)
                } catch {
                    outcomes.settle(index, .failure(error))
                    continue
                }
                let request = Request(routingKey: event.type, messageID: event.id, body: body) {
                    outcomes.settle(index, $0.mapError { $0 })
                }
                if !self.requests.put(request) {
                    outcomes.settle(index, .failure(AMQPError("basic.publish", "the event bus is closed")))
                }
            }
        }
    }

    /// Publishes what is queued, then closes the connection and ends the thread.
    func close() async {
        self.requests.close()
        await self.finished.value()
    }

    private static func run(
        _ requests: BlockingQueue<Request>, configuration: AMQPConfiguration, exchange: String, logger: Logger
    ) {
        var connection: AMQPConnection?
        // Delivery tags count the channel's publishes, so they belong with the connection, not with a batch.
        var confirms = PublisherConfirms<Request>()
        while let batch = requests.takeAll() {
            var sent = 0
            do {
                let open: AMQPConnection
                if let connection {
                    open = connection
                } else {
                    open = try Self.connect(configuration, exchange: exchange)
                    connection = open
                    confirms = PublisherConfirms()
                }
                for request in batch {
                    try open.publish(
                        exchange: exchange, routingKey: request.routingKey, messageID: request.messageID,
                        body: request.body)
                    confirms.published(request)
                    sent += 1
                }
                while !confirms.isEmpty {
                    guard let confirm = try open.nextConfirm(timeout: Self.confirmTimeout) else {
                        throw AMQPError("basic.publish", "no confirm from the broker within \(Self.confirmTimeout)")
                    }
                    switch confirm {
                    case .ack(let tag, let multiple):
                        for request in confirms.confirm(tag, multiple: multiple) { request.settle(.success(())) }
                    case .nack(let tag, let multiple):
                        for request in confirms.confirm(tag, multiple: multiple) {
                            request.settle(.failure(AMQPError("basic.publish", "the broker refused it")))
                        }
                    }
                }
            } catch {
                // The connection is unusable; unconfirmed and unsent publishes fail and are tried again by the
                // caller (a confirmed one is never failed, an unconfirmed one may still have arrived).
                let failure = error as? AMQPError ?? AMQPError("basic.publish", "\(error)")
                logger.warning("event publishing failed", metadata: ["error": "\(failure)"])
                connection = nil
                for request in confirms.removeAll() + batch.dropFirst(sent) {
                    request.settle(.failure(failure))
                }
            }
        }
        connection?.close()
    }

    private static func connect(_ configuration: AMQPConfiguration, exchange: String) throws -> AMQPConnection {
        let connection = try AMQPConnection.open(configuration, heartbeat: 0, timeout: .seconds(10))
        try connection.declareTopicExchange(exchange)
        try connection.selectConfirms()
        return connection
    }
}

/// The outcomes of one `publish` call's events, gathered from the publishing thread; `done` gets them, in the
/// events' order, once each has settled.
private final class PublishOutcomes: Sendable {
    private let state: NIOLockedValueBox<(outcomes: [Result<Void, any Error>?], pending: Int)>
    private let done: @Sendable ([Result<Void, any Error>]) -> Void

    init(count: Int, done: @escaping @Sendable ([Result<Void, any Error>]) -> Void) {
        self.state = NIOLockedValueBox((Array(repeating: nil, count: count), count))
        self.done = done
    }

    /// Records the outcome of event `index`; the last one calls `done`.
    func settle(_ index: Int, _ outcome: Result<Void, any Error>) {
        let complete = self.state.withLockedValue { state -> [Result<Void, any Error>]? in
            guard state.outcomes[index] == nil else { return nil }
            state.outcomes[index] = outcome
            state.pending -= 1
            return state.pending == 0 ? state.outcomes.compactMap { $0 } : nil
        }
        if let complete { self.done(complete) }
    }
}
