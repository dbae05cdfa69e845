/// The stock of one product in one warehouse: what is there (`on_hand`), what reservations hold (`reserved`), and
/// what may still be reserved (`available`, never below zero).
public struct StockLevel: Sendable, Hashable, Encodable {
    /// The product.
    public var sku: String
    /// The warehouse's code.
    public var warehouse: String
    /// Units in the warehouse.
    public var onHand: Int64
    /// Units held by reservations not yet committed or released.
    public var reserved: Int64

    /// A level from its counts.
    public init(sku: String, warehouse: String, onHand: Int64, reserved: Int64) {
        self.sku = sku
        self.warehouse = warehouse
        self.onHand = onHand
        self.reserved = reserved
    }

    /// Units that may still be reserved.
    public var available: Int64 { max(0, self.onHand - self.reserved) }

    private enum CodingKeys: String, CodingKey {
        case sku, warehouse, onHand, reserved, available
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.sku, forKey: .sku)
        try container.encode(self.warehouse, forKey: .warehouse)
        try container.encode(self.onHand, forKey: .onHand)
        try container.encode(self.reserved, forKey: .reserved)
        try container.encode(self.available, forKey: .available)
    }
}

/// `GET /products/{sku}/stock`: the levels per warehouse and their sum.
public struct ProductStock: Sendable, Hashable, Encodable {
    /// The sums over the warehouses.
    public struct Total: Sendable, Hashable, Encodable {
        /// Units in all warehouses.
        public var onHand: Int64
        /// Units reserved in all warehouses.
        public var reserved: Int64
        /// Units that may still be reserved, over all warehouses.
        public var available: Int64
    }

    /// The product.
    public var sku: String
    /// One level per warehouse that has held the product, by warehouse code.
    public var warehouses: [StockLevel]
    /// The sums.
    public var total: Total

    /// The stock of `sku` from its levels.
    public init(sku: String, levels: [StockLevel]) {
        self.sku = sku
        self.warehouses = levels
        self.total = Total(
            onHand: levels.reduce(0) { $0 + $1.onHand }, reserved: levels.reduce(0) { $0 + $1.reserved },
            available: levels.reduce(0) { $0 + $1.available })
    }
}
