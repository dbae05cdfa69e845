import Logging
import ServiceKit

/// Consumes the inventory's `shipment.dispatched` and `shipment.delivered` events ({order_id, reservation_id}) and
/// moves the order to `shipped` or `delivered`. Each event is applied once: its id is recorded in the same
/// transaction as the change, so a redelivery changes nothing.
struct ShipmentEvents: Sendable {
    let store: any OrderStore
    let logger: Logger

    /// The order service's one subscription (its queue on a broker).
    static let subscription = "orders"
    /// The patterns the subscription is bound with; `handle` ignores the types it does not apply.
    static let patterns = ["shipment.*"]

    /// Subscribes to the shipment events on `bus`.
    func subscribe(to bus: any EventBus) async throws {
        try await bus.subscribe(Self.patterns, name: Self.subscription) { event in
            try await self.handle(event)
        }
    }

    func handle(_ event: EventEnvelope) async throws {
        let status: OrderStatus
        switch event.type {
        case "shipment.dispatched": status = .shipped
        case "shipment.delivered": status = .delivered
        default: return
        }
        guard let orderID = event.data.objectValue?["order_id"]?.stringValue else {
            self.logger.warning("shipment event without order_id", metadata: ["event_id": "\(event.id)"])
            return
        }
        let metadata: Logger.Metadata = ["event_id": "\(event.id)", "order_id": "\(orderID)", "type": "\(event.type)"]
        switch try await self.store.transition(id: orderID, to: status, consuming: event.id) {
        case nil:
            self.logger.debug("shipment event seen before", metadata: metadata)
        case .moved:
            self.logger.info("order moved by a shipment event", metadata: metadata)
        case .refused(let order) where order.status == status:
            self.logger.debug("order already in the shipment's state", metadata: metadata)
        case .refused(let order):
            self.logger.warning(
                "shipment event does not fit the order's state",
                metadata: metadata.merging(["status": "\(order.status.rawValue)"]) { $1 })
        case .notFound:
            self.logger.warning("shipment event for an unknown order", metadata: metadata)
        }
    }
}
