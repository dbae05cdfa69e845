import Foundation
import NIOHTTP1
import OrderService
import ServiceKit
import ServiceKitTesting
import Testing

/// A stopped inventory service during order creation: 503 problem answers (never a hang), no order, and the
/// circuit opens so that later calls fail at once.
@Suite(.serialized) struct UnavailableDependencyTests {
    @Test(arguments: TestDatabase.kinds)
    func aStoppedInventoryGives503AndNoOrder(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            var firstOrder: String?
            try await OrderPlatform.with(kind) { platform in
                try await platform.stock(sku: "TEA-1", price: 450, units: 10)
                try await platform.withOrders(database: database) { _, orders in
                    let created = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 1)]))
                    #expect(created.status == .created, "\(created.text)")
                    firstOrder = try created.object()["id"] as? String
                }
            } afterInventory: { platform in
                try await platform.withOrders(database: database) { app, orders in
                    let body = OrderPlatform.orderBody([("TEA-1", 1)])
                    let refused = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body,
                        headers: [("Idempotency-Key", "while-down")])
                    #expect(refused.status == .serviceUnavailable, "\(refused.text)")
                    #expect(refused.headers["content-type"] == ["application/problem+json"])
                    #expect(
                        try refused.object()["detail"] as? String
                            == "the inventory service is not available; try again later")

                    // Three failed attempts (one call and its two retries) opened the circuit: refused at once.
                    #expect(app.inventoryBreaker.isOpen)
                    let fast = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body)
                    #expect(fast.status == .serviceUnavailable)
                    #expect(!fast.headers["retry-after"].isEmpty)
                    #expect(!app.usersBreaker.isOpen)

                    let listed = try await TestHTTP.send(.GET, orders + "/orders", token: platform.customerToken)
                    let ids = (try listed.object()["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    #expect(ids == [try #require(firstOrder)])
                    let claims = try await database.query("SELECT user_id FROM idempotency_keys")
                    #expect(claims.isEmpty)
                }
            }
        }
    }
}
