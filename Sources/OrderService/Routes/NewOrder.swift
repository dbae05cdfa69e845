import Crypto
import Foundation
import ServiceKit

/// The body of `POST /orders`: `{"items": [{"sku", "quantity"}], "shipping_address": {...}}`.
struct NewOrder: StrictJSONBody, Encodable {
    static let fields: Set<String> = ["items", "shipping_address"]

    struct Line: Codable, Sendable {
        let sku: String
        let quantity: Int
    }

    let items: [Line]
    let shippingAddress: ShippingAddress

    /// The most lines one order may have.
    static let maximumLines = 100
    /// The most units of one product one order may have.
    static let maximumQuantity = 10_000

    /// The lines and the address, checked and tidied.
    ///
    /// - Throws: `Problem` 400 naming every field that is not valid.
    func validated() throws -> (lines: [ReservationLine], address: ShippingAddress) {
        var errors: [FieldError] = []
        if self.items.isEmpty { errors.append(FieldError(field: "items", detail: "must list at least one item")) }
        if self.items.count > Self.maximumLines {
            errors.append(FieldError(field: "items", detail: "at most \(Self.maximumLines) items"))
        }
        var seen: Set<String> = []
        var lines: [ReservationLine] = []
        for (index, item) in self.items.enumerated() {
            let sku = item.sku.trimmingCharacters(in: .whitespaces)
            if sku.isEmpty || sku.count > 64 {
                errors.append(FieldError(field: "items.\(index).sku", detail: "expected 1 to 64 characters"))
            } else if !seen.insert(sku).inserted {
                errors.append(FieldError(field: "items.\(index).sku", detail: "is listed twice"))
            }
            if !(1...Self.maximumQuantity).contains(item.quantity) {
                errors.append(
                    FieldError(
                        field: "items.\(index).quantity",
                        detail: "expected an integer from 1 to \(Self.maximumQuantity)"))
            }
            lines.append(ReservationLine(sku: sku, quantity: item.quantity))
        }
        let address = AddressValidation.tidy(self.shippingAddress, into: &errors)
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return (lines, address)
    }

    /// A digest of the body in a canonical form, so that a retry with the same content matches its first request.
    func fingerprint() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(self)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Checks of a shipping address.
enum AddressValidation {
    static func tidy(_ address: ShippingAddress, into errors: inout [FieldError]) -> ShippingAddress {
        func required(_ value: String, _ field: String) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.count > 200 {
                errors.append(FieldError(field: "shipping_address.\(field)", detail: "expected 1 to 200 characters"))
            }
            return trimmed
        }
        func optional(_ value: String?, _ field: String) -> String? {
            guard let value else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > 200 {
                errors.append(FieldError(field: "shipping_address.\(field)", detail: "at most 200 characters"))
            }
            return trimmed.isEmpty ? nil : trimmed
        }
        let country = address.country.trimmingCharacters(in: .whitespaces).uppercased()
        if country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.append(
                FieldError(field: "shipping_address.country", detail: "expected an ISO 3166-1 alpha-2 code such as DE"))
        }
        return ShippingAddress(
            name: required(address.name, "name"), line1: required(address.line1, "line1"),
            line2: optional(address.line2, "line2"), city: required(address.city, "city"),
            region: optional(address.region, "region"), postalCode: required(address.postalCode, "postal_code"),
            country: country)
    }
}
