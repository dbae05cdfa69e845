import Foundation
import JWT
import ServiceKit

/// A product as stored and answered: `{"sku", "name", "price", "currency", "attributes", "created_at",
/// "updated_at"}`, the price an integer in the currency's minor units (cents for `EUR`).
public struct Product: Sendable, Hashable, Encodable {
    /// The stock-keeping unit: the product's key, 1 to 64 letters, digits, `-`, `_` or `.`.
    public var sku: String
    /// The display name.
    public var name: String
    /// The unit price in minor units.
    public var price: Int64
    /// ISO 4217 code, three capital letters.
    public var currency: String
    /// Free-form properties (colour, size, ...), a JSON object.
    public var attributes: [String: JSONValue]
    /// When the product was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// A product from its fields.
    public init(
        sku: String, name: String, price: Int64, currency: String, attributes: [String: JSONValue] = [:],
        createdAt: Date, updatedAt: Date
    ) {
        self.sku = sku
        self.name = name
        self.price = price
        self.currency = currency
        self.attributes = attributes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
