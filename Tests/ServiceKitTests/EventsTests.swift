import Foundation
import JWT
import NIOConcurrencyHelpers
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct EventsTests {
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
        let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger, retryDelay: .milliseconds(1))
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

    @Test(arguments: TestDatabase.kinds)
    func outboxEventsLeaveOnlyWithTheirCommittedChange(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(
                database,
                migrations: [
                    Outbox.migration(version: 1), Migration(version: 2, name: "t", ["CREATE TABLE t (id TEXT)"]),
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

    @Test(arguments: TestDatabase.kinds)
    func twoRelaysOnOneOutboxPublishEachEventOnce(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { first, test in
            try await MigrationRunner.migrate(first, migrations: [Outbox.migration(version: 1)])
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
