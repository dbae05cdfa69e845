import Foundation
import ServiceKit
import ServiceKitTesting
import Testing

@testable import OrderService

/// The store on both databases: documents round-trip, lists page newest first, transitions follow the states,
/// consumed events apply once, and idempotency keys claim, replay, refuse and take over.
@Suite struct SQLOrderStoreTests {
    static func withStore<Result>(
        _ kind: TestDatabase.Kind, _ body: (SQLOrderStore) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.with(kind) { database, _ in
            let store = SQLOrderStore(database: database)
            try await store.migrate()
            return try await body(store)
        }
    }

    static func order(user: String = "u1", createdAt: Int64, status: OrderStatus = .confirmed) -> Order {
        let date = OrderTime.date(createdAt)
        return Order(
            id: UUID().uuidString.lowercased(), userId: user, status: status,
            items: [OrderItem(sku: "TEA-1", quantity: 2, unitPrice: 450, lineTotal: 900)],
            shippingAddress: ShippingAddress(
                name: "Ada", line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE"),
            total: 900, currency: "EUR", reservationId: "r-\(createdAt)", createdAt: date, updatedAt: date)
    }

    @Test(arguments: TestDatabase.kinds)
    func anOrderIsStoredAsADocumentWithItsEvent(kind: TestDatabase.Kind) async throws {
        try await Self.withStore(kind) { store in
            let order = Self.order(createdAt: 1_700_000_000_123)
            try await store.createOrder(
                order, event: OrderPlacement.createdEvent(order), idempotency: nil, answer: "{}")
            let read = try await store.order(id: order.id)
            #expect(read == order, "\(String(describing: read)) \(order)")
            #expect(try await store.order(id: "missing") == nil)
            let outbox = try await store.database.query("SELECT type, envelope FROM outbox")
            #expect(outbox.count == 1)
            let event = try EventEnvelope.parse(try #require(outbox.first).text("envelope"))
            #expect(event.type == "order.created")
            #expect(event.data.objectValue?["order_id"]?.stringValue == order.id)
            #expect(event.data.objectValue?["total"]?.numberValue == 900)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func listsPageNewestFirstAndFilterByStatus(kind: TestDatabase.Kind) async throws {
        try await Self.withStore(kind) { store in
            var orders: [Order] = []
            for index in 0..<5 {
                let order = Self.order(
                    createdAt: 1_000 + Int64(index / 2), status: index == 1 ? .cancelled : .confirmed)
                orders.append(order)
                try await store.createOrder(
                    order, event: OrderPlacement.createdEvent(order), idempotency: nil, answer: "")
            }
            try await store.createOrder(
                Self.order(user: "u2", createdAt: 5_000), event: EventEnvelope(type: "order.created", data: [:]),
                idempotency: nil, answer: "")
            let expected = orders.sorted {
                ($0.createdAt, $0.id) > ($1.createdAt, $1.id)
            }.map(\.id)
            var seen: [String] = []
            var position: OrderPosition?
            while true {
                let page = try await store.orders(userID: "u1", status: nil, after: position, limit: 2)
                seen += page.map(\.id)
                guard page.count == 2, let last = page.last else { break }
                position = OrderPosition(createdAt: OrderTime.milliseconds(last.createdAt), id: last.id)
            }
            #expect(seen == expected)
            let cancelled = try await store.orders(userID: "u1", status: .cancelled, after: nil, limit: 10)
            #expect(cancelled.map(\.id) == [orders[1].id])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func transitionsFollowTheStatesAndConsumedEventsApplyOnce(kind: TestDatabase.Kind) async throws {
        try await Self.withStore(kind) { store in
            let order = Self.order(createdAt: 1_000)
            try await store.createOrder(order, event: OrderPlacement.createdEvent(order), idempotency: nil, answer: "")
            guard case .moved(let shipped)? = try await store.transition(id: order.id, to: .shipped, consuming: "e1")
            else {
                Issue.record("the order did not ship")
                return
            }
            #expect(shipped.status == .shipped)
            #expect(try await store.transition(id: order.id, to: .shipped, consuming: "e1") == nil)
            #expect(try await store.order(id: order.id)?.status == .shipped)
            let cancel = try await store.transition(id: order.id, to: .cancelled, event: nil)
            guard case .refused(let unchanged) = cancel else {
                Issue.record("a shipped order was cancelled: \(cancel)")
                return
            }
            #expect(unchanged.status == .shipped)
            #expect(try await store.transition(id: "missing", to: .cancelled, event: nil) == .notFound)
            let rows = try await store.database.query(
                SQLStatement("SELECT status FROM orders WHERE id = $1", [.text(order.id)]))
            #expect(try rows.first?.text("status") == "shipped")
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func idempotencyKeysClaimReplayRefuseAndTakeOver(kind: TestDatabase.Kind) async throws {
        try await Self.withStore(kind) { store in
            let key = IdempotencyKey(userID: "u1", key: "k1", fingerprint: "f1")
            #expect(
                try await store.claim(key, orderID: "o1", abandonedAfterMilliseconds: 60_000) == .claimed(orderID: "o1")
            )
            #expect(try await store.claim(key, orderID: "o2", abandonedAfterMilliseconds: 60_000) == .inProgress)
            let other = IdempotencyKey(userID: "u1", key: "k1", fingerprint: "f2")
            #expect(try await store.claim(other, orderID: "o3", abandonedAfterMilliseconds: 60_000) == .mismatch)
            // Another user's key of the same name is theirs.
            let theirs = IdempotencyKey(userID: "u2", key: "k1", fingerprint: "f2")
            #expect(
                try await store.claim(theirs, orderID: "o4", abandonedAfterMilliseconds: 60_000)
                    == .claimed(orderID: "o4"))
            // An attempt left in progress is taken over with its order id.
            #expect(
                try await store.claim(key, orderID: "o5", abandonedAfterMilliseconds: -1) == .claimed(orderID: "o1"))

            var order = Self.order(createdAt: 1_000)
            order.id = "o1"
            try await store.createOrder(order, event: OrderPlacement.createdEvent(order), idempotency: key, answer: "A")
            #expect(
                try await store.claim(key, orderID: "o6", abandonedAfterMilliseconds: 60_000)
                    == .completed(status: 201, body: "A"))
            // A completed key stays; a failed attempt's key is forgotten.
            try await store.releaseClaim(key)
            #expect(
                try await store.claim(key, orderID: "o7", abandonedAfterMilliseconds: 60_000)
                    == .completed(status: 201, body: "A"))
            try await store.releaseClaim(theirs)
            #expect(
                try await store.claim(theirs, orderID: "o8", abandonedAfterMilliseconds: 60_000)
                    == .claimed(orderID: "o8"))
        }
    }
}
