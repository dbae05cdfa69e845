import Foundation
import NIOConcurrencyHelpers
import ServiceKit
import ServiceKitTesting
import Testing

/// The RabbitMQ bus against the broker that `make test` starts (`AMQP_URL`). The tests run at once on one
/// exchange, so each uses queues and event types of its own (`<word>.created` for a random word).
@Suite(
    .enabled(if: ServiceTestEnvironment.amqpTestsRun, Comment(rawValue: ServiceTestEnvironment.amqpMissing))
)
struct RabbitMQEventBusTests {
    private static func makeBus(maximumAttempts: Int = 5) throws -> RabbitMQEventBus {
        RabbitMQEventBus(
            configuration: try AMQPConfiguration(url: try ServiceTestEnvironment.requireAMQPURL()),
            logger: ServiceTestEnvironment.logger, maximumAttempts: maximumAttempts, retryDelay: .milliseconds(10))
    }

    private static func queueName() -> String { "test-\(UInt32.random(in: 0...UInt32.max))" }

    private static func uniqueWord() -> String { "t\(UInt32.random(in: 0...UInt32.max))" }

    @Test func outboxEventsReachTheSubscriptionsThatMatchThroughConfirmedPublishes() async throws {
        let bus = try Self.makeBus()
        let word = Self.uniqueWord()
        let (received, continuation) = AsyncStream<EventEnvelope>.makeStream()
        try await bus.subscribe("\(word).*", name: Self.queueName()) { continuation.yield($0) }
        try await TestDatabase.with(.sqlite) { database, _ in
            try await MigrationRunner.migrate(database, migrations: [Outbox.migration(version: 1)])
            let order = EventEnvelope(type: "\(word).created", data: ["order_id": "o1", "total": 1250])
            try await database.transaction { transaction in
                try await Outbox.enqueue(EventEnvelope(type: "\(word)-other.created", data: [:]), in: transaction)
                try await Outbox.enqueue(order, in: transaction)
            }
            let relay = OutboxRelay(database: database, bus: bus, logger: ServiceTestEnvironment.logger)
            #expect(try await relay.relayPending() == 2)
            let pending = try await database.query(SQLStatement("SELECT id FROM outbox WHERE published_at IS NULL"))
            #expect(pending.isEmpty)
            // The queue gets events in publish order: the first one it gets shows that the other type, published
            // first, did not match.
            let first = try #require(await firstElement(of: received, within: 30))
            #expect(first.id == order.id)
            #expect(first.type == "\(word).created")
            #expect(first.data == order.data)
        }
        await bus.close()
    }

    @Test func aFailingHandlerIsRetriedAndAfterItsLastTryDeadLettered() async throws {
        let bus = try Self.makeBus(maximumAttempts: 3)
        let name = Self.queueName()
        let word = Self.uniqueWord()
        let attempts = NIOLockedValueBox<[String]>([])
        let (handled, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe("\(word).*", name: name) { event in
            let tries = attempts.withLockedValue { attempts in
                attempts.append(event.id)
                return attempts.filter { $0 == event.id }.count
            }
            if event.id == "poison" { throw TestSetupError("always fails") }
            if tries < 2 { throw TestSetupError("fails once") }
            continuation.yield(event.id)
        }
        try await bus.publish(EventEnvelope(id: "poison", type: "\(word).created", data: [:]))
        try await bus.publish(EventEnvelope(id: "flaky", type: "\(word).created", data: [:]))
        // One message at a time: the poison event's three tries come before the flaky event's two.
        #expect(await firstElement(of: handled, within: 30) == "flaky")
        #expect(attempts.withLockedValue { $0 } == ["poison", "poison", "poison", "flaky", "flaky"])
        var dead: EventEnvelope?
        for _ in 0..<100 where dead == nil {
            dead = try await bus.takeDeadLetter(subscription: name)
            if dead == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(dead?.id == "poison")
        #expect(try await bus.takeDeadLetter(subscription: name) == nil)
        await bus.close()
    }

    @Test func aSecondSubscriptionWithTheSameNameOnOneBusIsRefused() async throws {
        let bus = try Self.makeBus()
        let name = Self.queueName()
        try await bus.subscribe("order.*", name: name) { _ in }
        await #expect(throws: AMQPError.self) { try await bus.subscribe("user.*", name: name) { _ in } }
        await bus.close()
    }

    @Test func anUnreachableBrokerFailsThePublishAndTheEventStaysInTheOutbox() async throws {
        // A port nothing listens on: bound and closed again.
        let port = try unusedLoopbackPort()
        let bus = RabbitMQEventBus(
            configuration: AMQPConfiguration(host: "127.0.0.1", port: port), logger: ServiceTestEnvironment.logger)
        try await TestDatabase.with(.sqlite) { database, _ in
            try await MigrationRunner.migrate(database, migrations: [Outbox.migration(version: 1)])
            try await database.transaction { transaction in
                try await Outbox.enqueue(EventEnvelope(type: "order.created", data: [:]), in: transaction)
            }
            let relay = OutboxRelay(database: database, bus: bus, logger: ServiceTestEnvironment.logger)
            await #expect(throws: AMQPError.self) { try await relay.relayPending() }
            let pending = try await database.query(SQLStatement("SELECT id FROM outbox WHERE published_at IS NULL"))
            #expect(pending.count == 1)
        }
        await #expect(throws: AMQPError.self) { try await bus.subscribe("#", name: Self.queueName()) { _ in } }
        await bus.close()
    }
}
