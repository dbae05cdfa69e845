import Foundation
import HTTPTypes
import Hummingbird
import JWT
import ServiceKit

/// `POST /wms/events`: the WMS's events, signed (see `WMSSignature`), `{"id", "type", "data"}`:
/// `stock.received` `{sku, warehouse, quantity}` adds a receipt; `shipment.dispatched` `{reservation_id}` commits
/// the reservation and publishes `shipment.dispatched`; `shipment.delivered` `{reservation_id}` publishes
/// `shipment.delivered`. Answers 200 `{"status": "processed"}`, or `{"status": "duplicate"}` for an event id seen
/// before (nothing done again); 401 for a bad signature; 400 for an event it cannot read; 503 without
/// `WMS_WEBHOOK_SECRET`.
struct WMSWebhookRoutes: Sendable {
    let store: any InventoryStore
    /// `WMS_WEBHOOK_SECRET`; `nil` refuses every event.
    let secret: String?
    let tolerance: Duration
    let relay: OutboxRelay
    let now: @Sendable () -> Date

    private struct Event: Decodable {
        let id: String
        let type: String
        let data: [String: JSONValue]
    }

    private struct Answer: Encodable {
        let status: String
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/wms/events") { request, context in try await self.receive(request, context: context) }
    }

    private func receive(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        guard let secret else { throw Problem.unavailable("the WMS webhook is not configured (WMS_WEBHOOK_SECRET)") }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 1 << 20)
        } catch {
            throw Problem(.contentTooLarge, detail: "the body is larger than 1 MiB")
        }
        let bytes = Data(body.readableBytesView)
        do throws(WMSSignature.Failure) {
            try WMSSignature.verify(
                header: request.headers[HTTPField.Name(WMSSignature.header)!], body: bytes, secret: secret,
                now: self.now(), tolerance: self.tolerance)
        } catch {
            context.logger.warning("WMS event refused", metadata: ["reason": "\(error)"])
            throw Problem(
                .unauthorized, type: Problem.Kind.unauthenticated, title: "Authentication required",
                detail: error.description)
        }
        guard let event = try? JSONDecoder().decode(Event.self, from: bytes), !event.id.isEmpty else {
            throw Problem.validation([], detail: "expected an event {\"id\", \"type\", \"data\"}")
        }
        let effect = try Self.effect(of: event)
        let applied = try await InventoryProblems.translating {
            try await self.store.applyWMSEvent(id: event.id, type: event.type, effect: effect, now: self.now())
        }
        if applied {
            self.relay.wake()
            context.logger.info(
                "WMS event processed", metadata: ["event.id": "\(event.id)", "event.type": "\(event.type)"])
        }
        return try JSONResponse.make(Answer(status: applied ? "processed" : "duplicate"))
    }

    private static func effect(of event: Event) throws -> WMSEventEffect {
        func text(_ name: String) throws -> String {
            guard let value = event.data[name]?.stringValue, !value.isEmpty else {
                throw Problem.invalidField("data.\(name)", "expected a string")
            }
            return value
        }
        switch event.type {
        case "stock.received":
            guard let number = event.data["quantity"]?.numberValue, let quantity = Int64(exactly: number),
                quantity > 0
            else { throw Problem.invalidField("data.quantity", "expected a positive integer") }
            return .received(sku: try text("sku"), warehouse: try text("warehouse"), quantity: quantity)
        case "shipment.dispatched":
            return .dispatched(reservationID: try text("reservation_id"))
        case "shipment.delivered":
            return .delivered(reservationID: try text("reservation_id"))
        default:
            throw Problem.invalidField(
                "type", "expected stock.received, shipment.dispatched or shipment.delivered")
        }
    }
}
