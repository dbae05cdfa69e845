import Foundation
import JWT
import NIOHTTP1
import OrderService
import ServiceKit
import ServiceKitTesting
import Testing

/// The order service between the real user and inventory services: placing, reading, listing and cancelling
/// orders, the stock they hold, their events, and the shipment events that move them.
@Suite(.serialized) struct OrderRoutesTests {
    @Test(arguments: TestDatabase.kinds)
    func anOrderReservesStockAndCancellingItGivesTheStockBack(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 10)
            try await platform.stock(sku: "CUP-1", price: 1200, units: 5)
            let (events, continuation) = AsyncStream<EventEnvelope>.makeStream()
            try await platform.bus.subscribe("order.*", name: "test.orders") { continuation.yield($0) }
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    let created = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 3), ("CUP-1", 1)]))
                    #expect(created.status == .created, "\(created.text)")
                    let order = try created.object()
                    let id = try #require(order["id"] as? String)
                    #expect(created.headers["location"] == ["/orders/\(id)"])
                    #expect(order["status"] as? String == "confirmed")
                    #expect(order["user_id"] as? String == platform.customerID)
                    #expect(order["total"] as? Int == 3 * 450 + 1200)
                    #expect(order["currency"] as? String == "EUR")
                    #expect((order["shipping_address"] as? [String: Any])?["country"] as? String == "DE")
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 3, available: 7))

                    let placed = try #require(await firstElement(of: events, within: 30))
                    #expect(placed.type == "order.created")
                    #expect(placed.data.objectValue?["order_id"]?.stringValue == id)
                    #expect(placed.data.objectValue?["total"]?.numberValue == 2550)

                    // The owner sees it; another customer does not.
                    let read = try await TestHTTP.send(.GET, orders + "/orders/\(id)", token: platform.customerToken)
                    #expect(read.status == .ok)
                    #expect(try read.object()["reservation_id"] as? String != nil)
                    let foreign = try await TestHTTP.send(.GET, orders + "/orders/\(id)", token: platform.otherToken)
                    #expect(foreign.status == .notFound)
                    let theirs = try await TestHTTP.send(.GET, orders + "/orders", token: platform.otherToken)
                    #expect((try theirs.object()["data"] as? [Any])?.isEmpty == true)
                    let anonymous = try await TestHTTP.send(.GET, orders + "/orders")
                    #expect(anonymous.status == .unauthorized)

                    let cancelled = try await TestHTTP.send(
                        .POST, orders + "/orders/\(id)/cancel", token: platform.customerToken)
                    #expect(cancelled.status == .ok, "\(cancelled.text)")
                    #expect(try cancelled.object()["status"] as? String == "cancelled")
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 0, available: 10))
                    let again = try await TestHTTP.send(
                        .POST, orders + "/orders/\(id)/cancel", token: platform.customerToken)
                    #expect(again.status == .ok)
                    let cancelEvent = try #require(await firstElement(of: events, within: 30))
                    #expect(cancelEvent.type == "order.cancelled")
                    #expect(cancelEvent.data.objectValue?["order_id"]?.stringValue == id)
                    #expect(cancelEvent.data.objectValue?["user_id"]?.stringValue == platform.customerID)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func shipmentEventsMoveTheOrderOnceAndAShippedOrderCannotBeCancelled(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 10)
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    let created = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 2)]))
                    #expect(created.status == .created, "\(created.text)")
                    let id = try #require(try created.object()["id"] as? String)
                    let reservation = try #require(try created.object()["reservation_id"] as? String)
                    let data: [String: JSONValue] = ["order_id": .string(id), "reservation_id": .string(reservation)]
                    let dispatched = EventEnvelope(type: "shipment.dispatched", data: .object(data))
                    try await platform.bus.publish(dispatched)
                    #expect(
                        try await Self.status(of: id, at: orders, token: platform.customerToken, becomes: "shipped"))

                    let refused = try await TestHTTP.send(
                        .POST, orders + "/orders/\(id)/cancel", token: platform.customerToken)
                    #expect(refused.status == .conflict, "\(refused.text)")

                    try await platform.bus.publish(EventEnvelope(type: "shipment.delivered", data: .object(data)))
                    #expect(
                        try await Self.status(of: id, at: orders, token: platform.customerToken, becomes: "delivered"))
                    // A redelivered dispatch changes nothing.
                    try await platform.bus.publish(dispatched)
                    let listed = try await TestHTTP.send(
                        .GET, orders + "/orders?status=delivered", token: platform.customerToken)
                    #expect((try listed.object()["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
                    let badFilter = try await TestHTTP.send(
                        .GET, orders + "/orders?status=lost", token: platform.customerToken)
                    #expect(badFilter.status == .badRequest)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func listsPageWithACursor(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 10)
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    var placed: [String] = []
                    for _ in 0..<3 {
                        let created = try await TestHTTP.send(
                            .POST, orders + "/orders", token: platform.customerToken,
                            json: OrderPlatform.orderBody([("TEA-1", 1)]))
                        placed.append(try #require(try created.object()["id"] as? String))
                    }
                    var seen: [String] = []
                    var url = orders + "/orders?limit=2"
                    while true {
                        let page = try await TestHTTP.send(.GET, url, token: platform.customerToken)
                        #expect(page.status == .ok, "\(page.text)")
                        let object = try page.object()
                        seen += (object["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                        guard let next = object["next_cursor"] as? String else { break }
                        url = orders + "/orders?limit=2&cursor=\(next)"
                    }
                    #expect(Set(seen) == Set(placed))
                    #expect(seen.count == 3)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func badOrdersAreRefusedAndReserveNothing(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 2)
            try await platform.stock(sku: "USD-1", price: 100, units: 2, currency: "USD")
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    let tooMany = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 3)]))
                    #expect(tooMany.status == .conflict, "\(tooMany.text)")
                    let unknown = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 1), ("NONE-1", 1)]))
                    #expect(unknown.status == .unprocessableEntity, "\(unknown.text)")
                    #expect(unknown.text.contains("items.1.sku"))
                    let mixed = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 1), ("USD-1", 1)]))
                    #expect(mixed.status == .unprocessableEntity, "\(mixed.text)")
                    let invalid = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: #"{"items": [{"sku": "TEA-1", "quantity": 0}], "shipping_address": {"name": "", "#
                            + #""line1": "x", "city": "y", "postal_code": "1", "country": "Germany"}}"#)
                    #expect(invalid.status == .badRequest)
                    #expect(invalid.text.contains("items.0.quantity"))
                    #expect(invalid.text.contains("shipping_address.country"))
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 0, available: 2))
                    let listed = try await TestHTTP.send(.GET, orders + "/orders", token: platform.customerToken)
                    #expect((try listed.object()["data"] as? [Any])?.isEmpty == true)
                    // A client's own token is not a customer's.
                    let asClient = try await TestHTTP.send(
                        .POST, orders + "/orders", token: try await platform.serviceToken(),
                        json: OrderPlatform.orderBody([("TEA-1", 1)]))
                    #expect(asClient.status == .forbidden)
                    // A user deleted since the token was issued orders nothing.
                    let deleted = try await TestHTTP.send(
                        .DELETE, platform.usersURL + "/users/\(platform.customerID)", token: platform.customerToken)
                    #expect(deleted.status == .noContent)
                    let gone = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 1)]))
                    #expect(gone.status == .forbidden, "\(gone.text)")
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 0, available: 2))
                }
            }
        }
    }

    /// Whether order `id` reaches `status` (polled: the bus delivers in the background; a hang guard, no timing).
    static func status(of id: String, at orders: String, token: String, becomes status: String) async throws -> Bool {
        for _ in 0..<400 {
            let read = try await TestHTTP.send(.GET, orders + "/orders/\(id)", token: token)
            if try read.object()["status"] as? String == status { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return false
    }
}
