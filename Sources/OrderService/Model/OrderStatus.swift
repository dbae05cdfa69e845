/// Where an order is in its life: `pending → confirmed → shipped → delivered`, or `cancelled` before it ships.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepted, stock not yet reserved.
    case pending
    /// Stock reserved and priced: the order stands.
    case confirmed
    /// The warehouse dispatched it (`shipment.dispatched`).
    case shipped
    /// It arrived (`shipment.delivered`).
    case delivered
    /// Cancelled before shipping; its reservation was released.
    case cancelled

    /// The states an order may move to from this one.
    public var successors: Set<OrderStatus> {
        switch self {
        case .pending: return [.confirmed, .cancelled]
        // A delivery may be the first news of a shipment whose dispatch event was lost.
        case .confirmed: return [.shipped, .delivered, .cancelled]
        case .shipped: return [.delivered]
        case .delivered, .cancelled: return []
        }
    }

    /// Whether the order may move to `next`.
    public func canMove(to next: OrderStatus) -> Bool {
        self.successors.contains(next)
    }

    /// The states from which an order may reach `status`.
    public static func predecessors(of status: OrderStatus) -> Set<OrderStatus> {
        Set(Self.allCases.filter { $0.canMove(to: status) })
    }
}
