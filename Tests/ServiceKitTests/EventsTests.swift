import Foundation
import JWT
import NIOConcurrencyHelpers
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct EventsTests {
    /// The outbox's migrations.
    static let outbox = [Outbox.migration(version: 1), Outbox.claimMigration(version: 2)]

    @Test func theEventBusIsInProcessUnlessEVENT_BUSNamesABroker() throws {
        #expect(try EventBusConfiguration.fromEnvironment([:]) == .memory)
        #expect(try EventBusConfiguration.fromEnvironment(["EVENT_BUS": "memory"]) == .memory)
        #expect(
            try EventBusConfiguration.fromEnvironment(["EVENT_BUS": "amqp://acme:s3cret@mq.internal:5673/prod"])
                == .amqp(
                    AMQPConfiguration(
                        host: "mq.internal", port: 5673, user: "acme", password: "s3cret", virtualHost: "prod")))
        let error = #expect(throws: ServiceConfigurationError.self) {
            try EventBusConfiguration.fromEnvironment(["EVENT_BUS": "kafka://127.0.0.1:9092"])
        }
        #expect(
            error?.description
                == #"EVENT_BUS: expected memory or amqp://user:pass@host:port/vhost, got "kafka://127.0.0.1:9092""#)
    }

    @Test func handlerRetriesDefaultToEightAttemptsFromHalfASecondUpToThirtyAndAreConfigurable() throws {
        #expect(
            try EventBusConfiguration.fromEnvironment(["EVENT_BUS": "amqp://127.0.0.1/"])
                == .amqp(AMQPConfiguration(host: "127.0.0.1")))
        #expect(AMQPConfiguration(host: "127.0.0.1").retry == .eventHandlers)
        #expect(
            RetryPolicy.eventHandlers
                == RetryPolicy(maximumAttempts: 8, initialDelay: .milliseconds(500), maximumDelay: .seconds(30)))
        let configured = try EventBusConfiguration.fromEnvironment([
            "EVENT_BUS": "amqp://127.0.0.1/", "EVENT_BUS_MAX_ATTEMPTS": "3",
            "EVENT_BUS_RETRY_INITIAL_DELAY_MS": "20", "EVENT_BUS_RETRY_MAX_DELAY_MS": "80",
        ])
        guard case .amqp(let broker) = configured else {
            Issue.record("expected the broker, got \(configured)")
            return
        }
        #expect(broker.host == "127.0.0.1")
        let retry = broker.retry
        #expect(
            retry == RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20), maximumDelay: .milliseconds(80)))
        // Exponential, capped, with jitter: each pause lies in the upper half of its doubling ceiling.
        #expect((1...4).map { retry.ceiling(afterAttempt: $0) } == [
            .milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(80),
        ])
        let pause = retry.delay(afterAttempt: 2)
        #expect(pause >= .milliseconds(20) && pause <= .milliseconds(40))

        let cases: [([String: String], String)] = [
            (
                ["EVENT_BUS_MAX_ATTEMPTS": "0"],
                #"EVENT_BUS_MAX_ATTEMPTS: expected a whole number of attempts from 1 to 1000, got "0""#
            ),
            (
                ["EVENT_BUS_RETRY_INITIAL_DELAY_MS": "half a second"],
                #"EVENT_BUS_RETRY_INITIAL_DELAY_MS: expected a positive number of milliseconds, got "half a second""#
            ),
            (
                ["EVENT_BUS_RETRY_MAX_DELAY_MS": "-5"],
                #"EVENT_BUS_RETRY_MAX_DELAY_MS: expected a positive number of milliseconds, got "-5""#
            ),
            (
                ["EVENT_BUS_RETRY_INITIAL_DELAY_MS": "2000", "EVENT_BUS_RETRY_MAX_DELAY_MS": "1000"],
                "EVENT_BUS_RETRY_MAX_DELAY_MS: expected at least the first pause (EVENT_BUS_RETRY_INITIAL_DELAY_MS, "
                    + "2000 ms), got 1000 ms"
            ),
        ]
        for (environment, message) in cases {
            let error = #expect(throws: ServiceConfigurationError.self) {
                try EventBusConfiguration.fromEnvironment(environment)
            }
            #expect(error?.description == message)
        }
    }

    @Test func topicPatternsMatchLikeAMQP() {
        #expect(TopicPattern.matches("user.registered", "user.registered"))
        #expect(!TopicPattern.matches("user.registered", "user.deleted"))
        #expect(TopicPattern.matches("order.*", "order.created"))
        #expect(!TopicPattern.matches("order.*", "order.created.late"))
        #expect(TopicPattern.matches("#", "shipment.delivered"))
        #expect(TopicPattern.matches("order.#", "order"))
        #expect(TopicPattern.matches("*.created", "order.created"))
    }

    @Test func theEnvelopeIsDesignsShapeAndReadsBack() throws {
        let event = EventEnvelope(
            id: "0b6f0d4e-3c55-4f5e-9d10-5a4f8f0f2b11", type: "user.registered",
            occurredAt: Date(timeIntervalSince1970: 1_700_000_000.25), data: ["user_id": "u1", "email": "a@b.c"])
        let text = try event.jsonText()
        #expect(
            text == #"{"data":{"email":"a@b.c","user_id":"u1"},"id":"0b6f0d4e-3c55-4f5e-9d10-5a4f8f0f2b11","#
                + #""occurred_at":"2023-11-14T22:13:20.250Z","type":"user.registered"}"#)
        #expect(try EventEnvelope.parse(text) == event)
    }

    @Test func aFailingHandlerGetsTheEventAgain() async throws {
        let bus = InProcessEventBus(
            logger: ServiceTestEnvironment.logger,
            retry: RetryPolicy(maximumAttempts: 8, initialDelay: .milliseconds(1), maximumDelay: .milliseconds(4)))
        let attempts = NIOLockedValueBox<[String]>([])
        let (delivered, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe("user.*", name: "test") { event in
            let count = attempts.withLockedValue {
                $0.append(event.id); return $0.count
            }
            if count < 3 { throw TestSetupError("not yet") }
            continuation.yield(event.id)
        }
        try await bus.publish(EventEnvelope(id: "e1", type: "order.created", data: [:]))
        try await bus.publish(EventEnvelope(id: "e2", type: "user.registered", data: [:]))
        #expect(await firstElement(of: delivered) == "e2")
        #expect(attempts.withLockedValue { $0 } == ["e2", "e2", "e2"])
        await bus.close()
    }

    @Test func oneSubscriptionWithSeveralPatternsGetsTheirEventsInPublishOrder() async throws {
        let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
        let (delivered, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe(["user.*", "order.*"], name: "test") { continuation.yield($0.id) }
        for (id, type) in [("o1", "order.created"), ("s1", "shipment.dispatched"), ("u1", "user.registered")]
            + [("o2", "order.cancelled"), ("o3", "order.created.late")]
        {
            try await bus.publish(EventEnvelope(id: id, type: type, data: [:]))
        }
        await bus.close()
        continuation.finish()
        var ids: [String] = []
        for await id in delivered { ids.append(id) }
        #expect(ids == ["o1", "u1", "o2"])
    }

    @Test(arguments: TestDatabase.kindsWithMySQL)
    func outboxEventsLeaveOnlyWithTheirCommittedChange(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(
                database,
                migrations: [
                    Outbox.migration(version: 1), Outbox.claimMigration(version: 2),
                    Migration(version: 3, name: "t", ["CREATE TABLE t (id TEXT)"]),
                ])
            let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
            let received = NIOLockedValueBox<[String]>([])
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            try await bus.subscribe("#", name: "test") { event in
                received.withLockedValue { $0.append(event.type) }
                continuation.yield()
            }
            struct Abort: Error {}
            try? await database.transaction { transaction in
                try await transaction.query(SQLStatement("INSERT INTO t (id) VALUES ($1)", ["rolled back"]))
                try await Outbox.enqueue(EventEnvelope(type: "t.aborted", data: [:]), in: transaction)
                throw Abort()
            }
            try await database.transaction { transaction in
                try await transaction.query(SQLStatement("INSERT INTO t (id) VALUES ($1)", ["kept"]))
                try await Outbox.enqueue(EventEnvelope(type: "t.created", data: ["id": "kept"]), in: transaction)
            }
            let relay = OutboxRelay(database: database, bus: bus, logger: ServiceTestEnvironment.logger)
            #expect(try await relay.relayPending() == 1)
            #expect(try await relay.relayPending() == 0)
            #expect(await firstElement(of: stream) != nil)
            #expect(received.withLockedValue { $0 } == ["t.created"])
            await bus.close()
        }
    }

    @Test(arguments: TestDatabase.kindsWithMySQL)
    func twoRelaysOnOneOutboxPublishEachEventOnce(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { first, test in
            try await MigrationRunner.migrate(first, migrations: Self.outbox)
            try await first.transaction { transaction in
                for index in 0..<40 {
                    try await Outbox.enqueue(
                        EventEnvelope(id: "e\(index)", type: "t.created", data: [:]), in: transaction)
                }
            }
            let second = try await test.open()
            let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
            let received = NIOLockedValueBox<[String]>([])
            try await bus.subscribe("#", name: "test") { event in received.withLockedValue { $0.append(event.id) } }
            let relays = [first, second].map {
                OutboxRelay(database: $0, bus: bus, logger: ServiceTestEnvironment.logger)
            }
            async let one = relays[0].relayPending(batchSize: 5)
            async let two = relays[1].relayPending(batchSize: 5)
            let counts: [Int]
            do {
                counts = try await [one, two]
                await bus.close()
                await second.close()
            } catch {
                await bus.close()
                await second.close()
                throw error
            }
            #expect(counts.reduce(0, +) == 40)
            let ids = received.withLockedValue { $0 }
            #expect(ids.count == 40)
            #expect(Set(ids).count == 40)
        }
    }
}
