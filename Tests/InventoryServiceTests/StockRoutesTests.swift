import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    @Suite struct StockRoutesTests {
        @Test(arguments: TestDatabase.kindsWithMySQL)
        func adjustmentsChangeStockAndWriteTheLedger(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([])
                try await harness.test { client in
                    let receipt = try await client.json(
                        .post, "/stock/adjustments",
                        body: #"{"sku": "A", "warehouse": "berlin", "quantity": 12, "reason": "receipt"}"#)
                    #expect(receipt.status == .created, "\(receipt.text)")
                    let entry = try receipt.object()
                    #expect(entry["on_hand"] as? Int == 12)
                    #expect(entry["on_hand_change"] as? Int == 12)
                    #expect(entry["reason"] as? String == "receipt")
                    #expect(entry["reference"] as? String == "orders-client")
                    let location = try #require(receipt.headers[.location])
                    #expect(try await client.json(.get, location, token: TestTokens.reader).status == .ok)

                    for body in [
                        #"{"sku": "A", "warehouse": "lyon", "quantity": 4, "reason": "receipt"}"#,
                        #"{"sku": "A", "warehouse": "berlin", "quantity": -2, "reason": "damage"}"#,
                        #"{"sku": "B", "warehouse": "lyon", "quantity": 1, "reason": "correction"}"#,
                    ] {
                        #expect(try await client.json(.post, "/stock/adjustments", body: body).status == .created)
                    }
                    let stock = try await client.json(.get, "/products/A/stock", token: TestTokens.reader)
                    let object = try stock.object()
                    let levels = try #require(object["warehouses"] as? [[String: Any]])
                    #expect(levels.map { $0["warehouse"] as? String } == ["berlin", "lyon"])
                    #expect(levels.map { $0["on_hand"] as? Int } == [10, 4])
                    #expect(levels.map { $0["available"] as? Int } == [10, 4])
                    let total = try #require(object["total"] as? [String: Int])
                    #expect(total == ["on_hand": 14, "reserved": 0, "available": 14])

                    let ledger = try await client.json(.get, "/stock/ledger?sku=A", token: TestTokens.reader)
                    let entries = try #require(try ledger.object()["data"] as? [[String: Any]])
                    #expect(entries.map { $0["on_hand_change"] as? Int } == [12, 4, -2])
                    #expect(entries.map { $0["reason"] as? String } == ["receipt", "receipt", "damage"])
                    let berlin = try await client.json(
                        .get, "/stock/ledger?sku=A&warehouse=berlin&limit=1", token: TestTokens.reader)
                    let page = try berlin.object()
                    #expect((page["data"] as? [[String: Any]])?.count == 1)
                    #expect(page["next_cursor"] is String)
                }
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func stockNeverGoesBelowWhatIsReserved(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 5)])
                try await harness.test { client in
                    let reserved = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 3}]}"#)
                    #expect(reserved.status == .created)
                    let tooMuch = try await client.json(
                        .post, "/stock/adjustments",
                        body: #"{"sku": "A", "warehouse": "berlin", "quantity": -3, "reason": "damage"}"#)
                    #expect(tooMuch.status == .conflict)
                    #expect(try tooMuch.object()["type"] as? String == "urn:acme:problem:insufficient-stock")
                    let fine = try await client.json(
                        .post, "/stock/adjustments",
                        body: #"{"sku": "A", "warehouse": "berlin", "quantity": -2, "reason": "damage"}"#)
                    #expect(fine.status == .created)
                }
                #expect(
                    try await harness.level("A", "berlin")
                        == StockLevel(sku: "A", warehouse: "berlin", onHand: 3, reserved: 3))
            }
        }

        @Test func badAdjustmentsAreRefused() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.seed([])
                try await harness.test { client in
                    let cases: [(String, String, HTTPResponse.Status)] = [
                        (
                            #"{"sku": "A", "warehouse": "berlin", "quantity": 0, "reason": "receipt"}"#, "quantity",
                            .badRequest
                        ),
                        (
                            #"{"sku": "A", "warehouse": "berlin", "quantity": 1, "reason": "theft"}"#, "reason",
                            .badRequest
                        ),
                        (
                            #"{"sku": "A", "warehouse": "berlin", "quantity": 1, "reason": "commit"}"#, "reason",
                            .badRequest
                        ),
                        (
                            #"{"sku": "Z", "warehouse": "berlin", "quantity": 1, "reason": "receipt"}"#, "sku",
                            .badRequest
                        ),
                        (
                            #"{"sku": "A", "warehouse": "paris", "quantity": 1, "reason": "receipt"}"#, "warehouse",
                            .badRequest
                        ),
                        (#"{"sku": "A", "warehouse": "berlin", "quantity": -1, "reason": "damage"}"#, "", .conflict),
                    ]
                    for (body, field, status) in cases {
                        let response = try await client.json(.post, "/stock/adjustments", body: body)
                        #expect(response.status == status, "\(body): \(response.text)")
                        if !field.isEmpty {
                            let errors = try response.object()["errors"] as? [[String: Any]]
                            #expect(errors?.first?["field"] as? String == field, "\(body)")
                        }
                    }
                    let reader = try await client.json(
                        .post, "/stock/adjustments", token: TestTokens.reader,
                        body: #"{"sku": "A", "warehouse": "berlin", "quantity": 1, "reason": "receipt"}"#)
                    #expect(reader.status == .forbidden)
                }
                #expect(try await harness.app.store.ledger(sku: nil, warehouse: nil, after: nil, limit: 10).isEmpty)
            }
        }
    }
}
