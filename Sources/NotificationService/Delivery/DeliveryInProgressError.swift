/// Another sender holds the lease of a pending delivery of the same event on the same channel: it may be sending
/// right now. Thrown out of the event handler so that the bus keeps the event and delivers it again later (it does
/// not acknowledge it); once the lease has run out without news from that sender, the delivery is taken over.
public struct DeliveryInProgressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event.
    public var eventID: String
    /// The channel.
    public var channel: ChannelKind
    /// The pending delivery.
    public var deliveryID: String
    /// How long until the lease runs out.
    public var leaseRemaining: Duration

    /// The error for delivery `deliveryID`.
    public init(eventID: String, channel: ChannelKind, deliveryID: String, leaseRemaining: Duration) {
        self.eventID = eventID
        self.channel = channel
        self.deliveryID = deliveryID
        self.leaseRemaining = leaseRemaining
    }

    public var description: String {
        "delivery \(self.deliveryID) of event \(self.eventID) on \(self.channel.rawValue) is pending under another "
            + "sender's lease for \(self.leaseRemaining.components.seconds) s more; deliver the event again later"
    }
}
