/// The events the service sends notifications for, by their type on the bus.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// `user.registered` {user_id, email, name}.
    case userRegistered = "user.registered"
    /// `order.created` {order_id, user_id, items, total, currency}.
    case orderCreated = "order.created"
    /// `order.cancelled` {order_id, user_id}.
    case orderCancelled = "order.cancelled"
    /// `shipment.dispatched` {order_id, reservation_id, user_id when the publisher knows it}.
    case shipmentDispatched = "shipment.dispatched"
}

/// The ways a notification reaches a user.
public enum ChannelKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An email to the user's address.
    case email
    /// A text message to the user's phone number.
    case sms
    /// A push notification to each of the user's device tokens.
    case push
}
