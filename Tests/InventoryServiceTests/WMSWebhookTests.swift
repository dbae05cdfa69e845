import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import InventoryServiceTesting
import ServiceKit
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    @Suite struct WMSWebhookTests {
        static let secret = InventoryHarness.webhookSecret

        /// Posts an event signed with `secret` at `timestamp`.
        static func post(
            _ client: any TestClientProtocol, id: String, type: String, data: [String: Any], secret: String = secret,
            timestamp: Date = Date()
        ) async throws -> TestResponse {
            let event = try WMSSimulator.event(id: id, type: type, data: data, secret: secret, timestamp: timestamp)
            return try await client.json(
                .post, "/wms/events", token: nil, body: event.body,
                headers: [HTTPField.Name("X-WMS-Signature")!: event.signature])
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func aDispatchCommitsTheReservationAndPublishesOnce(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.seed([("A", "berlin", 10)])
                let events = try await harness.events("shipment.*")
                try await harness.test { client in
                    let reserved = try await client.json(
                        .post, "/reservations", body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 4}]}"#)
                    let id = try #require(try reserved.object()["id"] as? String)

                    let dispatched = try await Self.post(
                        client, id: "evt-1", type: "shipment.dispatched",
                        data: ["reservation_id": id, "order_id": "o-1"])
                    #expect(dispatched.status == .ok, "\(dispatched.text)")
                    #expect(try dispatched.object()["status"] as? String == "processed")
                    let replay = try await Self.post(
                        client, id: "evt-1", type: "shipment.dispatched",
                        data: ["reservation_id": id, "order_id": "o-1"])
                    #expect(replay.status == .ok)
                    #expect(try replay.object()["status"] as? String == "duplicate")

                    let read = try await client.json(.get, "/reservations/\(id)", token: TestTokens.reader)
                    #expect(try read.object()["status"] as? String == "committed")

                    let delivered = try await Self.post(
                        client, id: "evt-2", type: "shipment.delivered", data: ["reservation_id": id])
                    #expect(delivered.status == .ok, "\(delivered.text)")
                }
                #expect(
                    try await harness.level("A", "berlin")
                        == StockLevel(sku: "A", warehouse: "berlin", onHand: 6, reserved: 0))
                try await harness.app.relay.relayPending()
                let first = try #require(await firstElement(of: events))
                let second = try #require(await firstElement(of: events))
                #expect(first.type == "shipment.dispatched")
                #expect(second.type == "shipment.delivered")
                let reservationID = try #require(first.data.objectValue?["reservation_id"]?.stringValue)
                #expect(first.data == ["order_id": "o-1", "reservation_id": .string(reservationID)])
                #expect(second.data == first.data)
                #expect(first.id != second.id)
                // The replay published nothing more.
                try await harness.app.relay.relayPending()
                #expect(await firstElement(of: events, within: 1) == nil)
            }
        }

        @Test func badSignaturesAndStaleTimestampsAre401() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.seed([("A", "berlin", 10)])
                try await harness.test { client in
                    let data: [String: Any] = ["sku": "A", "warehouse": "berlin", "quantity": 5]
                    let wrongSecret = try await Self.post(
                        client, id: "e1", type: "stock.received", data: data, secret: "other")
                    #expect(wrongSecret.status == .unauthorized)
                    #expect(try wrongSecret.object()["detail"] as? String == "the signature does not match")
                    let old = try await Self.post(
                        client, id: "e2", type: "stock.received", data: data, timestamp: Date().addingTimeInterval(-301)
                    )
                    #expect(old.status == .unauthorized)
                    let future = try await Self.post(
                        client, id: "e3", type: "stock.received", data: data, timestamp: Date().addingTimeInterval(301))
                    #expect(future.status == .unauthorized)
                    let unsigned = try await client.json(
                        .post, "/wms/events", token: nil,
                        body: #"{"id": "e4", "type": "stock.received", "data": {}}"#)
                    #expect(unsigned.status == .unauthorized)

                    // A signed body changed on the way.
                    let event = try WMSSimulator.event(
                        id: "e5", type: "stock.received", data: data, secret: Self.secret)
                    let tampered = try await client.json(
                        .post, "/wms/events", token: nil, body: event.body.replacingOccurrences(of: "5", with: "50"),
                        headers: [HTTPField.Name("X-WMS-Signature")!: event.signature])
                    #expect(tampered.status == .unauthorized)

                    let recent = try await Self.post(
                        client, id: "e6", type: "stock.received", data: data, timestamp: Date().addingTimeInterval(-290)
                    )
                    #expect(recent.status == .ok, "\(recent.text)")
                }
                // Only the good one was applied.
                #expect(try await harness.level("A", "berlin").onHand == 15)
            }
        }

        @Test func receiptsAddStockAndUnreadableEventsAre400() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.seed([])
                try await harness.test { client in
                    let received = try await Self.post(
                        client, id: "r1", type: "stock.received",
                        data: ["sku": "B", "warehouse": "lyon", "quantity": 7])
                    #expect(received.status == .ok)
                    let unknownType = try await Self.post(client, id: "r2", type: "stock.counted", data: [:])
                    #expect(unknownType.status == .badRequest)
                    let missing = try await Self.post(client, id: "r3", type: "shipment.dispatched", data: [:])
                    #expect(missing.status == .badRequest)
                    #expect(
                        (try missing.object()["errors"] as? [[String: Any]])?.first?["field"] as? String
                            == "data.reservation_id")
                    let unknownReservation = try await Self.post(
                        client, id: "r4", type: "shipment.dispatched", data: ["reservation_id": "nope"])
                    #expect(unknownReservation.status == .notFound)
                    // Not recorded: the same id is processed once the reservation exists... or refused again.
                    let again = try await Self.post(
                        client, id: "r4", type: "shipment.dispatched", data: ["reservation_id": "nope"])
                    #expect(again.status == .notFound)
                }
                let entries = try await harness.app.store.ledger(sku: "B", warehouse: "lyon", after: nil, limit: 10)
                #expect(entries.map(\.reference) == ["r1"])
                #expect(entries.map(\.onHand) == [7])
            }
        }

        @Test func withoutASecretTheWebhookIsUnavailable() async throws {
            try await InventoryHarness.with(.sqlite, configure: { $0.webhookSecret = nil }) { harness in
                try await harness.test { client in
                    let response = try await Self.post(client, id: "x", type: "stock.received", data: [:])
                    #expect(response.status == .serviceUnavailable)
                }
            }
        }
    }
}
