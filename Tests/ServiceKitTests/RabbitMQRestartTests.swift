import Foundation
import NIOConcurrencyHelpers
import ServiceKit
import ServiceKitTesting
import Testing

/// The bus while its broker restarts, on a node of the test's own (the shared one stays up for the others).
@Suite(.enabled(if: PrivateRabbitMQNode.testsRun, Comment(rawValue: PrivateRabbitMQNode.missing)))
struct RabbitMQRestartTests {
    /// Orders are written with their events to an outbox and relayed while the broker stops and starts again; a
    /// consumer service records each event's effect with `ConsumedEvents`. Every event arrives, and no effect
    /// happens twice, whatever was redelivered or published again.
    @Test func aBrokerRestartWhileEventsArePublishedLosesNoneAndDuplicatesNoEffect() async throws {
        let node = try await PrivateRabbitMQNode.start()
        do {
            try await Self.publishAcrossARestart(node)
            await node.stop()
        } catch {
            await node.stop()
            throw error
        }
    }

    private static func publishAcrossARestart(_ node: PrivateRabbitMQNode) async throws {
        let logger = ServiceTestEnvironment.logger
        let bus = RabbitMQEventBus(configuration: try node.configuration(), logger: logger)
        try await TestDatabase.with(.sqlite) { orders, _ in
            try await TestDatabase.with(.sqlite) { consumer, _ in
                try await MigrationRunner.migrate(orders, migrations: EventsTests.outbox)
                try await MigrationRunner.migrate(
                    consumer,
                    migrations: [
                        ConsumedEvents.migration(version: 1),
                        Migration(version: 2, name: "effects", ["CREATE TABLE effects (order_id TEXT NOT NULL)"]),
                    ])
                let deliveries = NIOLockedValueBox(0)
                try await bus.subscribe("order.*", name: "notifications-test") { event in
                    deliveries.withLockedValue { $0 += 1 }
                    try await consumer.transaction { transaction in
                        let first = try await ConsumedEvents.recordFirst(
                            event, consumer: "notifications-test", in: transaction)
                        guard first else { return }
                        try await transaction.query(
                            SQLStatement("INSERT INTO effects (order_id) VALUES ($1)", [.text(event.id)]))
                    }
                }
                let relay = OutboxRelay(database: orders, bus: bus, logger: logger)
                let relayFailures = NIOLockedValueBox(0)
                let stopRelaying = NIOLockedValueBox(false)
                let relaying = Task {
                    while !stopRelaying.withLockedValue({ $0 }) {
                        do {
                            try await relay.relayPending(batchSize: 10)
                        } catch {
                            relayFailures.withLockedValue { $0 += 1 }
                        }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
                var ids: [String] = []
                func createOrders(_ count: Int) async throws {
                    for _ in 0..<count {
                        let event = EventEnvelope(type: "order.created", data: ["order_id": .string(UUID().uuidString)])
                        try await orders.transaction { try await Outbox.enqueue(event, in: $0) }
                        ids.append(event.id)
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
                try await createOrders(30)
                let restarted = NIOLockedValueBox(false)
                let restart = Task {
                    defer { restarted.withLockedValue { $0 = true } }
                    try await node.restart()
                }
                // Orders keep coming while the broker is down and starting again.
                while ids.count < 400, !restarted.withLockedValue({ $0 }) {
                    try await createOrders(10)
                }
                try await restart.value
                try await createOrders(30)

                var effects: [String] = []
                for _ in 0..<1200 {
                    effects = try await consumer.query(SQLStatement("SELECT order_id FROM effects")).map {
                        try $0.text("order_id")
                    }
                    if effects.count >= ids.count { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                stopRelaying.withLockedValue { $0 = true }
                await relaying.value
                await bus.close()
                #expect(relayFailures.withLockedValue { $0 } > 0, "the broker was down while events were relayed")
                #expect(effects.count == ids.count)
                #expect(Set(effects) == Set(ids))
                #expect(deliveries.withLockedValue { $0 } >= ids.count)
                let pending = try await orders.query(SQLStatement("SELECT id FROM outbox WHERE published_at IS NULL"))
                #expect(pending.isEmpty)
            }
        }
    }
}
