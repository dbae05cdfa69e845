import Foundation

/// An order as the service stores it (one JSON document) and answers it: who ordered what, priced in the
/// inventory's minor units, where it goes, and the reservation that holds its stock.
public struct Order: Sendable, Hashable, Codable {
    /// A UUID.
    public var id: String
    /// The user who placed it (the token's `sub`).
    public var userId: String
    /// Where it is in its life.
    public var status: OrderStatus
    /// The lines, priced.
    public var items: [OrderItem]
    /// Where it is shipped.
    public var shippingAddress: ShippingAddress
    /// The sum of the lines, in minor units of `currency`.
    public var total: Int
    /// ISO 4217 code of every price in the order.
    public var currency: String
    /// The inventory reservation holding the stock.
    public var reservationId: String?
    /// When it was placed.
    public var createdAt: Date
    /// When its status last changed.
    public var updatedAt: Date

    /// An order from its parts.
    public init(
        id: String, userId: String, status: OrderStatus, items: [OrderItem], shippingAddress: ShippingAddress,
        total: Int, currency: String, reservationId: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.status = status
        self.items = items
        self.shippingAddress = shippingAddress
        self.total = total
        self.currency = currency
        self.reservationId = reservationId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One line of an order.
public struct OrderItem: Sendable, Hashable, Codable {
    /// The product.
    public var sku: String
    /// How many.
    public var quantity: Int
    /// The product's price when ordered, in minor units.
    public var unitPrice: Int
    /// `quantity × unitPrice`.
    public var lineTotal: Int

    /// A line from its parts.
    public init(sku: String, quantity: Int, unitPrice: Int, lineTotal: Int) {
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.lineTotal = lineTotal
    }
}

/// A postal address.
public struct ShippingAddress: Sendable, Hashable, Codable {
    /// The recipient.
    public var name: String
    /// Street and number.
    public var line1: String
    /// More of the address, if any.
    public var line2: String?
    /// The city.
    public var city: String
    /// State, province or region, if any.
    public var region: String?
    /// The postal code.
    public var postalCode: String
    /// ISO 3166-1 alpha-2 country code, upper case.
    public var country: String

    /// An address from its parts.
    public init(
        name: String, line1: String, line2: String? = nil, city: String, region: String? = nil, postalCode: String,
        country: String
    ) {
        self.name = name
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
}
