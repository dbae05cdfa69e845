import Foundation
import JWT
import Logging
import ServiceKit

/// Consumes `user.registered`, `order.created`, `order.cancelled` and `shipment.dispatched`, and notifies the
/// user on each channel their preferences switch on for the event. A user without preferences gets the defaults
/// (email on), addressed from the event (`user.registered`) or the user service. `shipment.dispatched` names only
/// the order: its owner is remembered from `order.created`, and an event for an order whose owner is not known yet
/// fails so that the bus retries it after the `order.created`.
public struct NotificationEvents: Sendable {
    let store: NotificationStore
    let templates: NotificationTemplates
    let dispatcher: DeliveryDispatcher
    let directory: (any UserDirectory)?
    let logger: Logger
    let now: @Sendable () -> Date

    /// The service's one subscription (its queue on a broker), so that its events arrive in one order.
    static let subscription = "notifications"
    /// The patterns the subscription is bound with; `handle` ignores the types it does not notify.
    static let patterns = ["user.*", "order.*", "shipment.*"]

    /// Subscribes to the events on `bus`.
    public func subscribe(to bus: any EventBus) async throws {
        try await bus.subscribe(Self.patterns, name: Self.subscription) { event in _ = try await self.handle(event) }
    }

    /// Notifies for `event`; returns the deliveries made (none for an event seen before or not notified).
    ///
    /// - Throws: when the store or the user service fails, when the event names an order whose owner is not known
    ///   yet (`OrderOwnerUnknown`), or `DeliveryInProgressError` while another sender's delivery of the event is
    ///   pending under its lease; the bus delivers the event again.
    @discardableResult
    public func handle(_ event: EventEnvelope) async throws -> [Delivery] {
        guard let kind = NotificationEvent(rawValue: event.type) else { return [] }
        let data = event.data.objectValue ?? [:]
        var metadata: Logger.Metadata = ["event.id": "\(event.id)", "event.type": "\(event.type)"]
        guard let userID = try await self.userID(of: kind, data) else {
            self.logger.warning("event without a user to notify", metadata: metadata)
            return []
        }
        metadata["user.id"] = "\(userID)"
        guard let preferences = try await self.preferences(userID: userID, kind: kind, data: data) else {
            self.logger.warning("event for an unknown user", metadata: metadata)
            return []
        }
        let context = Self.context(event: event, data: data, preferences: preferences)
        var deliveries: [Delivery] = []
        for channel in ChannelKind.allCases {
            let recipients = preferences.recipients(for: kind, on: channel)
            guard !recipients.isEmpty else { continue }
            let rendered = try self.templates.render(kind, channel: channel, context: context)
            if let delivery = try await self.dispatcher.deliver(
                event: event, userID: userID, channel: channel, recipients: recipients, rendered: rendered)
            {
                deliveries.append(delivery)
            }
        }
        return deliveries
    }

    private func userID(of kind: NotificationEvent, _ data: [String: JSONValue]) async throws -> String? {
        if let userID = data["user_id"]?.stringValue {
            if kind == .orderCreated, let orderID = data["order_id"]?.stringValue {
                try await self.store.rememberOrder(orderID, userID: userID, now: self.now())
            }
            return userID
        }
        guard let orderID = data["order_id"]?.stringValue else { return nil }
        guard let owner = try await self.store.orderOwner(orderID) else { throw OrderOwnerUnknown(orderID: orderID) }
        return owner
    }

    private func preferences(
        userID: String, kind: NotificationEvent, data: [String: JSONValue]
    ) async throws -> NotificationPreferences? {
        if kind == .userRegistered {
            return try await self.store.registered(
                userID: userID, email: data["email"]?.stringValue, name: data["name"]?.stringValue, now: self.now())
        }
        if let preferences = try await self.store.preferences(userID: userID) { return preferences }
        guard let directory = self.directory else {
            return .defaults(userID: userID, email: nil, name: nil, now: self.now())
        }
        guard let contact = try await directory.contact(userID: userID) else { return nil }
        return try await self.store.registered(
            userID: userID, email: contact.email, name: contact.name, now: self.now())
    }

    /// What the templates see: `event` (id, type, occurred_at), `user` (id, name, email), `data` (the event's)
    /// and, for orders, `total_display` (`12.50 EUR`).
    static func context(
        event: EventEnvelope, data: [String: JSONValue], preferences: NotificationPreferences
    ) -> [String: JSONValue] {
        var context: [String: JSONValue] = [
            "event": [
                "id": .string(event.id), "type": .string(event.type),
                "occurred_at": .string(Timestamp.rfc3339(event.occurredAt)),
            ],
            "user": [
                "id": .string(preferences.userID), "name": .string(preferences.name ?? "there"),
                "email": .string(preferences.email ?? ""),
            ],
            "data": .object(data),
        ]
        if let total = data["total"]?.numberValue, let currency = data["currency"]?.stringValue {
            context["total_display"] = .string(String(format: "%.2f", total / 100) + " " + currency)
        }
        return context
    }
}

/// An event names an order whose `order.created` has not been handled yet (it is behind in the queue, or was
/// delayed): the event is retried later rather than dropped.
public struct OrderOwnerUnknown: Error, CustomStringConvertible {
    /// The order.
    public let orderID: String

    public var description: String { "the owner of order \(self.orderID) is not known yet (no order.created seen)" }
}
