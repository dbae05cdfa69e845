import Foundation
import JWT
import ServiceKit

/// `POST /products`.
struct NewProduct: StrictJSONBody {
    static let fields: Set<String> = ["sku", "name", "price", "currency", "attributes"]
    let sku: String
    let name: String
    let price: Int64
    let currency: String
    let attributes: [String: JSONValue]?
}

/// `PATCH /products/{sku}`: each field optional.
struct ProductChanges: StrictJSONBody {
    static let fields: Set<String> = ["name", "price", "currency", "attributes"]
    let name: String?
    let price: Int64?
    let currency: String?
    let attributes: [String: JSONValue]?
}

/// `POST /warehouses`.
struct NewWarehouse: StrictJSONBody {
    static let fields: Set<String> = ["code", "name", "location"]
    let code: String
    let name: String
    let location: String
}

/// `POST /stock/adjustments`.
struct NewAdjustment: StrictJSONBody {
    static let fields: Set<String> = ["sku", "warehouse", "quantity", "reason"]
    let sku: String
    let warehouse: String
    let quantity: Int64
    let reason: String
}

/// `POST /reservations`.
struct NewReservation: StrictJSONBody {
    static let fields: Set<String> = ["order_id", "items", "strategy"]
    let orderId: String
    let items: [ReservationItem]
    let strategy: String?
}

/// The checks on the fields, each failure naming its field.
enum InventoryValidation {
    static let maximumItems = 100
    static let maximumQuantity: Int64 = 1_000_000_000

    /// SKUs, warehouse codes and order ids: 1 to 64 letters, digits, `-`, `_`, `.` or `:`.
    static func key(_ text: String, field: String, into errors: inout [FieldError]) {
        let allowed = text.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "-_.:".unicodeScalars.contains($0)
        }
        if !(1...64).contains(text.count) || !allowed {
            errors.append(
                FieldError(field: field, detail: "expected 1 to 64 letters, digits, '-', '_', '.' or ':'"))
        }
    }

    /// A name or location: trimmed, 1 to `maximum` characters.
    static func text(_ text: String, field: String, maximum: Int = 200, into errors: inout [FieldError]) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...maximum).contains(trimmed.count) {
            errors.append(FieldError(field: field, detail: "must have 1 to \(maximum) characters"))
        }
        return trimmed
    }

    /// A price in minor units: zero or more.
    static func price(_ price: Int64, into errors: inout [FieldError]) {
        if price < 0 { errors.append(FieldError(field: "price", detail: "must be zero or more (minor units)")) }
    }

    /// An ISO 4217 code, three capital letters.
    static func currency(_ code: String, into errors: inout [FieldError]) {
        if code.count != 3 || !code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
            errors.append(FieldError(field: "currency", detail: "expected an ISO 4217 code such as EUR"))
        }
    }

    /// A change of stock: not zero, and not absurd.
    static func quantity(_ quantity: Int64, field: String, positive: Bool, into errors: inout [FieldError]) {
        let range: ClosedRange<Int64> =
            positive ? 1...Self.maximumQuantity : -Self.maximumQuantity...Self.maximumQuantity
        if quantity == 0 || !range.contains(quantity) {
            let detail =
                positive
                ? "expected an integer from 1 to \(Self.maximumQuantity)"
                : "expected a non-zero integer from -\(Self.maximumQuantity) to \(Self.maximumQuantity)"
            errors.append(FieldError(field: field, detail: detail))
        }
    }
}
