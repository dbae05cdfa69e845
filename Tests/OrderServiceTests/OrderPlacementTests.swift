import Foundation
import ServiceKit
import ServiceKitTesting
import Testing

@testable import OrderService

/// Nothing half-done: when storing the order fails after its stock was reserved, the reservation is released.
@Suite(.serialized) struct OrderPlacementTests {
    /// A store whose `createOrder` fails as a database that went away would.
    struct FailingStore: OrderStore {
        let base: SQLOrderStore

        func createOrder(_ order: Order, event: EventEnvelope, idempotency: IdempotencyKey?, answer: String)
            async throws
        {
            throw SQLError(.unavailable, detail: "the test's database is down")
        }
        func order(id: String) async throws -> Order? { try await self.base.order(id: id) }
        func orders(userID: String, status: OrderStatus?, after position: OrderPosition?, limit: Int) async throws
            -> [Order]
        {
            try await self.base.orders(userID: userID, status: status, after: position, limit: limit)
        }
        func transition(id: String, to status: OrderStatus, event: EventEnvelope?) async throws -> OrderTransition {
            try await self.base.transition(id: id, to: status, event: event)
        }
        func transition(id: String, to status: OrderStatus, consuming eventID: String) async throws
            -> OrderTransition?
        {
            try await self.base.transition(id: id, to: status, consuming: eventID)
        }
        func claim(_ key: IdempotencyKey, orderID: String, abandonedAfterMilliseconds: Int64) async throws
            -> IdempotencyClaim
        {
            try await self.base.claim(key, orderID: orderID, abandonedAfterMilliseconds: abandonedAfterMilliseconds)
        }
        func releaseClaim(_ key: IdempotencyKey) async throws { try await self.base.releaseClaim(key) }
        func ping() async throws { try await self.base.ping() }
    }

    @Test(arguments: TestDatabase.kinds)
    func aFailedStoreReleasesTheReservation(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 5)
            try await TestDatabase.with(kind) { database, _ in
                let store = SQLOrderStore(database: database)
                try await store.migrate()
                let configuration = platform.orderConfiguration
                let tokens = ClientCredentialsTokenProvider(
                    tokenURL: configuration.usersURL + "/oauth/token", clientID: configuration.clientID,
                    clientSecret: configuration.clientSecret, scopes: OrderServiceConfiguration.scopes)
                func client(_ service: String, _ url: String) -> DependencyClient {
                    DependencyClient(
                        service: service, baseURL: url, policy: configuration.dependencyPolicy,
                        breaker: CircuitBreaker(name: service),
                        authorization: { try await tokens.authorizationHeader() },
                        logger: ServiceTestEnvironment.logger)
                }
                let placement = OrderPlacement(
                    store: FailingStore(base: store), users: UserDirectory(client: client("users", platform.usersURL)),
                    inventory: InventoryClient(client: client("inventory", platform.inventoryURL)),
                    relay: OutboxRelay(database: database, bus: platform.bus, logger: ServiceTestEnvironment.logger))
                let address = ShippingAddress(
                    name: "Ada", line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE")
                await #expect(throws: SQLError.self) {
                    try await placement.place(
                        orderID: UUID().uuidString.lowercased(), userID: platform.customerID,
                        lines: [ReservationLine(sku: "TEA-1", quantity: 2)], address: address, idempotency: nil,
                        logger: ServiceTestEnvironment.logger)
                }
                #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 0, available: 5))
                #expect(try await store.orders(userID: platform.customerID, status: nil, after: nil, limit: 10).isEmpty)
            }
        }
    }
}
