import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    @Suite struct ReservationRoutesTests {
        @Test(arguments: TestDatabase.kindsWithMySQL)
        func aReservationHoldsEveryItemOrNone(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 5), ("A", "lyon", 8), ("B", "berlin", 3)])
                let store = harness.app.store
                try await harness.test { client in
                    let refused = try await client.json(
                        .post, "/reservations",
                        body:
                            #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 4}]}"#
                    )
                    #expect(refused.status == .conflict, "\(refused.text)")
                    #expect(try refused.object()["type"] as? String == "urn:acme:problem:insufficient-stock")
                    #expect(try refused.object()["detail"] as? String == "not enough stock available for B")
                    #expect(try await store.level("A", "lyon").reserved == 0)
                    #expect(try await store.level("A", "berlin").reserved == 0)

                    let created = try await client.json(
                        .post, "/reservations",
                        body:
                            #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 10}, {"sku": "B", "quantity": 3}]}"#
                    )
                    #expect(created.status == .created, "\(created.text)")
                    let reservation = try created.object()
                    let id = try #require(reservation["id"] as? String)
                    #expect(created.headers[.location] == "/reservations/\(id)")
                    #expect(reservation["status"] as? String == "held")
                    #expect(reservation["strategy"] as? String == "split")
                    let allocations = try #require(reservation["allocations"] as? [[String: Any]])
                    #expect(
                        allocations.map { "\($0["sku"]!)@\($0["warehouse"]!)=\($0["quantity"]!)" }
                            == ["A@lyon=8", "A@berlin=2", "B@berlin=3"])
                }
                #expect(
                    try await harness.level("A", "lyon")
                        == StockLevel(sku: "A", warehouse: "lyon", onHand: 8, reserved: 8))
                #expect(try await harness.level("A", "berlin").available == 3)
                #expect(try await harness.level("B", "berlin").available == 0)
                let ledger = try await harness.app.store.ledger(sku: "A", warehouse: nil, after: nil, limit: 10)
                #expect(ledger.filter { $0.reason == .reservation }.map(\.reservedChange).sorted() == [2, 8])
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func singleNeedsOneWarehouseWithEverything(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 5), ("A", "lyon", 8), ("B", "berlin", 3)])
                try await harness.test { client in
                    let refused = try await client.json(
                        .post, "/reservations",
                        body:
                            #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 6}, {"sku": "B", "quantity": 1}], "strategy": "single"}"#
                    )
                    #expect(refused.status == .conflict)
                    #expect(
                        try refused.object()["detail"] as? String
                            == "no single warehouse has every item available (strategy single)")
                    let single = try await client.json(
                        .post, "/reservations",
                        body:
                            #"{"order_id": "o-2", "items": [{"sku": "A", "quantity": 5}, {"sku": "B", "quantity": 1}], "strategy": "single"}"#
                    )
                    #expect(single.status == .created, "\(single.text)")
                    let allocations = try #require(try single.object()["allocations"] as? [[String: Any]])
                    #expect(Set(allocations.compactMap { $0["warehouse"] as? String }) == ["berlin"])
                    let bad = try await client.json(
                        .post, "/reservations",
                        body: #"{"order_id": "o-3", "items": [{"sku": "A", "quantity": 1}], "strategy": "nearest"}"#)
                    #expect(bad.status == .badRequest)
                }
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func aRepeatedOrderGetsTheSameReservation(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 10)])
                try await harness.test { client in
                    let body =
                        #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 2}]}"#
                    let first = try await client.json(.post, "/reservations", body: body)
                    #expect(first.status == .created)
                    let second = try await client.json(.post, "/reservations", body: body)
                    #expect(second.status == .ok, "\(second.text)")
                    #expect(try second.object()["id"] as? String == (try first.object()["id"] as? String))
                    #expect(try (second.object()["items"] as? [[String: Any]])?.first?["quantity"] as? Int == 3)
                    // The same items written once.
                    let merged = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 3}]}"#)
                    #expect(merged.status == .ok)
                    let other = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 4}]}"#)
                    #expect(other.status == .conflict)
                    #expect(try other.object()["type"] as? String == "urn:acme:problem:conflict")
                }
                #expect(try await harness.level("A", "berlin").reserved == 3)
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func commitTakesTheUnitsAndReleaseReturnsThem(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 10)])
                try await harness.test { client in
                    let first = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 4}]}"#)
                    let second = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-2", "items": [{"sku": "A", "quantity": 3}]}"#)
                    let committedID = try #require(try first.object()["id"] as? String)
                    let releasedID = try #require(try second.object()["id"] as? String)

                    let committed = try await client.json(.post, "/reservations/\(committedID)/commit")
                    #expect(committed.status == .ok, "\(committed.text)")
                    #expect(try committed.object()["status"] as? String == "committed")
                    #expect(try await client.json(.post, "/reservations/\(committedID)/commit").status == .ok)
                    #expect(try await client.json(.post, "/reservations/\(committedID)/release").status == .conflict)

                    let released = try await client.json(.post, "/reservations/\(releasedID)/release")
                    #expect(try released.object()["status"] as? String == "released")
                    #expect(try await client.json(.post, "/reservations/\(releasedID)/release").status == .ok)
                    #expect(try await client.json(.post, "/reservations/\(releasedID)/commit").status == .conflict)

                    let read = try await client.json(.get, "/reservations/\(releasedID)", token: TestTokens.reader)
                    #expect(try read.object()["status"] as? String == "released")
                    #expect(
                        try await client.json(.get, "/reservations/nope", token: TestTokens.reader).status == .notFound)
                    #expect(try await client.json(.post, "/reservations/nope/commit").status == .notFound)
                    #expect(
                        try await client.json(.post, "/reservations/\(releasedID)/release", token: TestTokens.reader)
                            .status
                            == .forbidden)
                }
                #expect(
                    try await harness.level("A", "berlin")
                        == StockLevel(sku: "A", warehouse: "berlin", onHand: 6, reserved: 0))
                let reasons = try await harness.app.store.ledger(sku: "A", warehouse: nil, after: nil, limit: 10).map(
                    \.reason)
                #expect(reasons == [.receipt, .reservation, .reservation, .commit, .release])
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func anUncommittedReservationExpires(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind, configure: { $0.reservationTTL = .seconds(60) }) { harness in
                try await harness.seed([("A", "berlin", 10)])
                let (clock, expiry) = (harness.clock, harness.app.expiry)
                try await harness.test { client in
                    let swept = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 4}]}"#)
                    let late = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-2", "items": [{"sku": "A", "quantity": 5}]}"#)
                    let sweptID = try #require(try swept.object()["id"] as? String)
                    let lateID = try #require(try late.object()["id"] as? String)
                    #expect(try await expiry.expireDue().isEmpty)

                    clock.advance(seconds: 61)
                    #expect(try await expiry.expireDue(batchSize: 1).count == 2)
                    let expired = try await client.json(.get, "/reservations/\(sweptID)", token: TestTokens.reader)
                    #expect(try expired.object()["status"] as? String == "expired")
                    let commit = try await client.json(.post, "/reservations/\(lateID)/commit")
                    #expect(commit.status == .conflict)
                    #expect(try commit.object()["detail"] as? String == "the reservation is expired")
                }
                #expect(
                    try await harness.level("A", "berlin")
                        == StockLevel(sku: "A", warehouse: "berlin", onHand: 10, reserved: 0))
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func aHeldReservationPastItsExpiryCannotBeCommitted(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind, configure: { $0.reservationTTL = .seconds(60) }) { harness in
                try await harness.seed([("A", "berlin", 10)])
                let clock = harness.clock
                try await harness.test { client in
                    let reserved = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 4}]}"#)
                    let id = try #require(try reserved.object()["id"] as? String)
                    clock.advance(seconds: 61)
                    // No sweep ran: the commit finds it past its time, expires it and refuses.
                    let commit = try await client.json(.post, "/reservations/\(id)/commit")
                    #expect(commit.status == .conflict)
                    let read = try await client.json(.get, "/reservations/\(id)", token: TestTokens.reader)
                    #expect(try read.object()["status"] as? String == "expired")
                }
                #expect(try await harness.level("A", "berlin").reserved == 0)
            }
        }

        @Test func badReservationsAre400NamingTheField() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.seed([("A", "berlin", 10)])
                try await harness.test { client in
                    let cases: [(String, String)] = [
                        (#"{"order_id": "o", "items": []}"#, "items"),
                        (#"{"order_id": "o", "items": [{"sku": "A", "quantity": 0}]}"#, "items.0.quantity"),
                        (
                            #"{"order_id": "o", "items": [{"sku": "A", "quantity": 1}, {"sku": "Z", "quantity": 1}]}"#,
                            "items.1.sku"
                        ),
                        (#"{"order_id": "", "items": [{"sku": "A", "quantity": 1}]}"#, "order_id"),
                        (#"{"items": [{"sku": "A", "quantity": 1}]}"#, "order_id"),
                        (#"{"order_id": "o", "items": [{"sku": "A"}]}"#, "items.0.quantity"),
                    ]
                    for (body, field) in cases {
                        let response = try await client.json(.post, "/reservations", body: body)
                        #expect(response.status == .badRequest, "\(body): \(response.text)")
                        let errors = try response.object()["errors"] as? [[String: Any]]
                        #expect(errors?.first?["field"] as? String == field, "\(body): \(response.text)")
                    }
                }
                #expect(try await harness.level("A", "berlin").reserved == 0)
            }
        }
    }
}
