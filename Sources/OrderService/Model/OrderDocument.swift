import Foundation
import ServiceKit

/// An order's JSON document: the same snake_case JSON the API answers, stored whole in the `document` column.
enum OrderDocument {
    /// The order as JSON text.
    static func encode(_ order: Order) throws -> String {
        String(decoding: try JSONResponse.encoder.encode(order), as: UTF8.self)
    }

    /// The order in `text`.
    ///
    /// - Throws: `SQLError` `.unexpectedValue` when the document is not an order.
    static func decode(_ text: String) throws -> Order {
        do {
            return try Self.decoder.decode(Order.self, from: Data(text.utf8))
        } catch {
            throw SQLError(.unexpectedValue, detail: "an order document could not be read", underlying: error)
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            if let date = (try? withFraction.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) {
                return OrderTime.parsed(date)
            }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 time")
        }
        return decoder
    }()
}
