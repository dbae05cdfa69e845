import Foundation
import NIOHTTP1
import OrderService
import ServiceKit
import ServiceKitTesting
import Testing

/// `Idempotency-Key`: a retried `POST /orders` gets the first answer and creates (and reserves) nothing new.
@Suite(.serialized) struct IdempotencyTests {
    @Test(arguments: TestDatabase.kinds)
    func aRetriedPostReturnsTheFirstAnswerAndCreatesNothingNew(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 10)
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    let body = OrderPlatform.orderBody([("TEA-1", 4)])
                    let key = [("Idempotency-Key", "checkout-1")]
                    let first = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body, headers: key)
                    #expect(first.status == .created, "\(first.text)")
                    #expect(first.headers["idempotent-replayed"].isEmpty)
                    let retry = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body, headers: key)
                    #expect(retry.status == .created)
                    #expect(retry.text == first.text)
                    #expect(retry.headers["location"] == first.headers["location"])
                    #expect(retry.headers["idempotent-replayed"] == ["true"])
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 4, available: 6))
                    let listed = try await TestHTTP.send(.GET, orders + "/orders", token: platform.customerToken)
                    #expect((try listed.object()["data"] as? [Any])?.count == 1)

                    // The same key with another body is a client error; another user's key of that name is theirs.
                    let other = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken,
                        json: OrderPlatform.orderBody([("TEA-1", 1)]), headers: key)
                    #expect(other.status == .unprocessableEntity, "\(other.text)")
                    let theirs = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.otherToken, json: body, headers: key)
                    #expect(theirs.status == .created, "\(theirs.text)")
                    #expect(try theirs.object()["id"] as? String != (try first.object()["id"] as? String))
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 8, available: 2))

                    // A refused request does not keep its key: the retry, once stock is there, is served anew.
                    let short = [("Idempotency-Key", "checkout-2")]
                    let refused = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body, headers: short)
                    #expect(refused.status == .conflict, "\(refused.text)")
                    let adjustment = try await TestHTTP.send(
                        .POST, platform.inventoryURL + "/stock/adjustments", token: try await platform.serviceToken(),
                        json: #"{"sku": "TEA-1", "warehouse": "\#(OrderPlatform.warehouse)", "quantity": 2, "#
                            + #""reason": "receipt"}"#)
                    #expect(adjustment.status == .created, "\(adjustment.text)")
                    let served = try await TestHTTP.send(
                        .POST, orders + "/orders", token: platform.customerToken, json: body, headers: short)
                    #expect(served.status == .created, "\(served.text)")
                    #expect(served.headers["idempotent-replayed"].isEmpty)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func concurrentRetriesCreateOneOrder(kind: TestDatabase.Kind) async throws {
        try await OrderPlatform.with(kind) { platform in
            try await platform.stock(sku: "TEA-1", price: 450, units: 10)
            try await TestDatabase.with(kind) { database, _ in
                try await platform.withOrders(database: database) { _, orders in
                    let body = OrderPlatform.orderBody([("TEA-1", 1)])
                    let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                        for _ in 0..<5 {
                            group.addTask {
                                try await TestHTTP.send(
                                    .POST, orders + "/orders", token: platform.customerToken, json: body,
                                    headers: [("Idempotency-Key", "double-click")]
                                ).status
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    // Each is the first answer (201) or "still in progress" (409); never a second order.
                    #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
                    #expect(statuses.contains(.created))
                    let listed = try await TestHTTP.send(.GET, orders + "/orders", token: platform.customerToken)
                    #expect((try listed.object()["data"] as? [Any])?.count == 1)
                    #expect(try await platform.stockLevel(sku: "TEA-1") == (reserved: 1, available: 9))
                }
            }
        }
    }
}
