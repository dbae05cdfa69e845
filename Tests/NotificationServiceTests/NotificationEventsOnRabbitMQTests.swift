import Foundation
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// The notification service's one subscription on the broker that `make test` starts (`AMQP_URL`).
@Suite(
    .enabled(if: ServiceTestEnvironment.amqpTestsRun, Comment(rawValue: ServiceTestEnvironment.amqpMissing))
)
struct NotificationEventsOnRabbitMQTests {
    /// A shipment can reach the queue before its order's `order.created` (the inventory's relay was quicker than
    /// the order service's): its owner is unknown at first, so it is retried after the order instead of dropped.
    @Test func aShipmentQueuedBeforeItsOrderIsNotifiedOnceTheOrderIsKnown() async throws {
        var broker = try AMQPConfiguration(url: try ServiceTestEnvironment.requireAMQPURL())
        broker.retry = RetryPolicy(
            maximumAttempts: 6, initialDelay: .milliseconds(50), maximumDelay: .milliseconds(400))
        let bus = RabbitMQEventBus(configuration: broker, logger: ServiceTestEnvironment.logger)
        let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("acme-outbox-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        var configuration = NotificationServiceConfiguration()
        configuration.issuer = TestTokens.users.issuer
        configuration.outboxDirectory = outbox
        configuration.retry = NotificationHarness.quickRetry
        let settings = configuration
        do {
            try await TestDatabase.with(.sqlite) { database, _ in
                let app = try await NotificationServiceApp.make(
                    configuration: settings, database: database, bus: bus, keys: TestTokens.users.keys,
                    logger: ServiceTestEnvironment.logger)
                let userID = "user-\(UUID())"
                let orderID = "order-\(UUID())"
                // One queue, handled in order: the shipment's first attempt comes before the order is known.
                let outcomes = await bus.publish([
                    TestEvents.registered(userID, email: "ada@example.com", name: "Ada"),
                    TestEvents.shipmentDispatched(orderID), TestEvents.orderCreated(orderID, userID: userID),
                ])
                for outcome in outcomes { try outcome.get() }
                var types: [String] = []
                _ = try await eventually(within: 60) {
                    types = try await app.store.deliveries(userID: userID, limit: 10, after: nil).deliveries.map(
                        \.eventType)
                    return types.count >= 3
                }
                #expect(types.sorted() == ["order.created", "shipment.dispatched", "user.registered"])
                #expect(try await bus.takeDeadLetter(subscription: "notifications") == nil)
            }
            await bus.close()
        } catch {
            await bus.close()
            throw error
        }
    }
}
