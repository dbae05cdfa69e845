import Foundation

/// How a reservation picks warehouses.
public enum AllocationStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// One warehouse when one has every item, else each item from the warehouses with the most available first.
    case split
    /// One warehouse that has every item, or nothing.
    case single
}

/// Where a reservation is in its life: `held` until committed (the units leave), released (they return), or
/// expired (released because it was not committed within `RESERVATION_TTL`).
public enum ReservationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case held
    case committed
    case released
    case expired
}

/// A product and a quantity: an item of a reservation request.
public struct ReservationItem: Sendable, Hashable, Codable {
    /// The product.
    public var sku: String
    /// Units, at least 1.
    public var quantity: Int64

    /// An item.
    public init(sku: String, quantity: Int64) {
        self.sku = sku
        self.quantity = quantity
    }
}

/// Units of a product held in one warehouse.
public struct Allocation: Sendable, Hashable, Codable {
    /// The product.
    public var sku: String
    /// The warehouse's code.
    public var warehouse: String
    /// Units.
    public var quantity: Int64

    /// An allocation.
    public init(sku: String, warehouse: String, quantity: Int64) {
        self.sku = sku
        self.warehouse = warehouse
        self.quantity = quantity
    }
}

/// A reservation: `{"id", "order_id", "status", "strategy", "items", "allocations", "expires_at", "created_at",
/// "updated_at"}`; `items` as requested (one per product, by SKU), `allocations` where the units are held.
public struct Reservation: Sendable, Hashable, Encodable {
    /// A UUID, lowercase.
    public var id: String
    /// The order it is for; one reservation per order.
    public var orderId: String
    /// Where it is in its life.
    public var status: ReservationStatus
    /// How warehouses were picked.
    public var strategy: AllocationStrategy
    /// What was asked for.
    public var items: [ReservationItem]
    /// Where the units are (or were) held.
    public var allocations: [Allocation]
    /// When a held reservation releases itself.
    public var expiresAt: Date
    /// When it was made.
    public var createdAt: Date
    /// When its status last changed.
    public var updatedAt: Date

    /// A reservation from its fields.
    public init(
        id: String, orderId: String, status: ReservationStatus, strategy: AllocationStrategy,
        items: [ReservationItem], allocations: [Allocation], expiresAt: Date, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.orderId = orderId
        self.status = status
        self.strategy = strategy
        self.items = items
        self.allocations = allocations
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
