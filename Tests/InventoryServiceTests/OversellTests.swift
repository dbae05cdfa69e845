import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    /// 50 reservations race for the last 10 units: exactly 10 win, the others are refused with 409, and the stock
    /// shows 10 reserved. On PostgreSQL the requests run on separate connections at once.
    @Suite struct OversellTests {
        @Test(arguments: TestDatabase.kindsWithMySQL)
        func fiftyRacersForTenUnitsLeaveExactlyTenReserved(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                // The last 10 units, 6 in one warehouse and 4 in the other.
                try await harness.seed([("A", "berlin", 6), ("A", "lyon", 4)])
                let statuses = try await harness.test { client in
                    try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                        for racer in 0..<50 {
                            group.addTask {
                                try await client.json(
                                    .post, "/reservations",
                                    body: #"{"order_id": "race-\#(racer)", "items": [{"sku": "A", "quantity": 1}]}"#
                                ).status
                            }
                        }
                        return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                    }
                }
                #expect(statuses.filter { $0 == .created }.count == 10)
                #expect(statuses.filter { $0 == .conflict }.count == 40)
                #expect(statuses.count == 50)
                let levels = try await harness.app.store.stock(sku: "A")
                #expect(levels.map(\.reserved).reduce(0, +) == 10)
                #expect(levels.allSatisfy { $0.reserved == $0.onHand })
                let ledger = try await harness.app.store.ledger(sku: "A", warehouse: nil, after: nil, limit: 100)
                #expect(ledger.filter { $0.reason == .reservation }.count == 10)
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func concurrentRepeatsOfOneOrderReserveOnce(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 100)])
                let answers = try await harness.test { client in
                    try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                        for _ in 0..<10 {
                            group.addTask {
                                let response = try await client.json(
                                    .post, "/reservations",
                                    body: #"{"order_id": "same", "items": [{"sku": "A", "quantity": 2}]}"#)
                                return (response.status, try response.object()["id"] as? String)
                            }
                        }
                        return try await group.reduce(into: [(HTTPResponse.Status, String?)]()) { $0.append($1) }
                    }
                }
                #expect(answers.filter { $0.0 == .created }.count == 1)
                #expect(answers.filter { $0.0 == .ok }.count == 9)
                #expect(Set(answers.compactMap(\.1)).count == 1)
                #expect(try await harness.level("A", "berlin").reserved == 2)
            }
        }
    }
}
