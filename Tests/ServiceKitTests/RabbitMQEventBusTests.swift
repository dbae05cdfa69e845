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
    private static func makeBus(maximumAttempts: Int = 5, heartbeatSeconds: Int = 30) throws -> RabbitMQEventBus {
        var configuration = try AMQPConfiguration(url: try ServiceTestEnvironment.requireAMQPURL())
        configuration.retry = RetryPolicy(
            maximumAttempts: maximumAttempts, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(40))
        return RabbitMQEventBus(
            configuration: configuration, logger: ServiceTestEnvironment.logger, heartbeatSeconds: heartbeatSeconds)
    }

    private static func queueName() -> String { "test-\(UInt32.random(in: 0...UInt32.max))" }

    private static func uniqueWord() -> String { "t\(UInt32.random(in: 0...UInt32.max))" }

    @Test func outboxEventsReachTheSubscriptionsThatMatchThroughConfirmedPublishes() async throws {
        let bus = try Self.makeBus()
        let word = Self.uniqueWord()
        let (received, continuation) = AsyncStream<EventEnvelope>.makeStream()
        try await bus.subscribe("\(word).*", name: Self.queueName()) { continuation.yield($0) }
        try await TestDatabase.with(.sqlite) { database, _ in
            try await MigrationRunner.migrate(database, migrations: EventsTests.outbox)
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
        #expect(await firstElement(of: handled, within: 30) == "flaky")
        var dead: EventEnvelope?
        for _ in 0..<300 where dead == nil {
            dead = try await bus.takeDeadLetter(subscription: name)
            if dead == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(dead?.id == "poison")
        #expect(try await bus.takeDeadLetter(subscription: name) == nil)
        let tries = attempts.withLockedValue { $0 }
        #expect(tries.filter { $0 == "poison" }.count == 3)
        #expect(tries.filter { $0 == "flaky" }.count == 2)
        await bus.close()
    }

    /// A failing event waits for its retry out of the queue's way: one that needs an event queued behind it (a
    /// shipment whose order's creation comes later) succeeds on a later attempt instead of being dead-lettered.
    @Test func aFailedEventIsRetriedAfterTheEventsQueuedBehindIt() async throws {
        let bus = try Self.makeBus(maximumAttempts: 10)
        let name = Self.queueName()
        let word = Self.uniqueWord()
        let attempts = NIOLockedValueBox<[String]>([])
        let (handled, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe("\(word).*", name: name) { event in
            let priorSeen = attempts.withLockedValue { attempts in
                attempts.append(event.id)
                return attempts.contains("prior")
            }
            if event.id == "needs-prior" && !priorSeen { throw TestSetupError("the prior event is not handled yet") }
            continuation.yield(event.id)
        }
        let outcomes = await bus.publish([
            EventEnvelope(id: "needs-prior", type: "\(word).dispatched", data: [:]),
            EventEnvelope(id: "prior", type: "\(word).created", data: [:]),
        ])
        for outcome in outcomes { try outcome.get() }
        var ids: [String] = []
        while ids.count < 2, let id = await firstElement(of: handled, within: 30) { ids.append(id) }
        #expect(ids == ["prior", "needs-prior"])
        // It came first and failed; the one behind it was handled before its retry succeeded.
        let tries = attempts.withLockedValue { $0 }
        #expect(tries.first == "needs-prior")
        #expect(tries.filter { $0 == "prior" }.count == 1)
        #expect(tries.last == "needs-prior")
        #expect(try await bus.takeDeadLetter(subscription: name) == nil)
        await bus.close()
    }

    @Test func oneQueueBoundWithSeveralPatternsGetsTheirEventsInOrderAndAcksTypesItDoesNotKnow() async throws {
        let bus = try Self.makeBus(maximumAttempts: 2)
        let name = Self.queueName()
        let (users, orders, other) = (Self.uniqueWord(), Self.uniqueWord(), Self.uniqueWord())
        let seen = NIOLockedValueBox<[String]>([])
        let (handled, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe(["\(users).*", "\(orders).*"], name: name) { event in
            seen.withLockedValue { $0.append(event.id) }
            // Dispatch by type, as a service does: a type it does not know is ignored (acked).
            switch event.type {
            case "\(users).registered", "\(orders).created": continuation.yield(event.id)
            default: return
            }
        }
        for (id, type) in [
            ("o1", "\(orders).created"), ("x1", "\(other).created"), ("u1", "\(users).registered"),
            ("n1", "\(orders).renamed"), ("o2", "\(orders).created"),
        ] {
            try await bus.publish(EventEnvelope(id: id, type: type, data: [:]))
        }
        var ids: [String] = []
        while ids.count < 3, let id = await firstElement(of: handled, within: 30) { ids.append(id) }
        #expect(ids == ["o1", "u1", "o2"])
        // The unknown type came once, in its place, and was acked: nothing was retried or dead-lettered.
        #expect(seen.withLockedValue { $0 } == ["o1", "u1", "n1", "o2"])
        #expect(try await bus.takeDeadLetter(subscription: name) == nil)
        await bus.close()
    }

    /// rabbitmq-c sends heartbeats only inside its calls: a consumer that just waited for a long handler would be
    /// dropped by the broker after two silent intervals, and the event, not yet acked, delivered a second time.
    @Test func aHandlerRunningLongerThanTwoHeartbeatIntervalsKeepsTheConnection() async throws {
        let bus = try Self.makeBus(maximumAttempts: 1, heartbeatSeconds: 1)
        let word = Self.uniqueWord()
        let calls = NIOLockedValueBox<[String]>([])
        let (handled, continuation) = AsyncStream<String>.makeStream()
        try await bus.subscribe("\(word).*", name: Self.queueName()) { event in
            calls.withLockedValue { $0.append(event.id) }
            if event.id == "slow" { try await Task.sleep(for: .seconds(5)) }
            continuation.yield(event.id)
        }
        try await bus.publish(EventEnvelope(id: "slow", type: "\(word).created", data: [:]))
        try await bus.publish(EventEnvelope(id: "next", type: "\(word).created", data: [:]))
        var ids: [String] = []
        while ids.count < 2, let id = await firstElement(of: handled, within: 60) { ids.append(id) }
        #expect(ids == ["slow", "next"])
        #expect(calls.withLockedValue { $0 } == ["slow", "next"])
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
            try await MigrationRunner.migrate(database, migrations: EventsTests.outbox)
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
