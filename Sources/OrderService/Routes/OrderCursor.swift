import Foundation
import ServiceKit

/// The `cursor` of `GET /orders`: where the previous page ended (creation time and id), base64url-encoded so that
/// clients treat it as opaque.
enum OrderCursor {
    static func encode(_ order: Order) -> String {
        let text = "\(OrderTime.milliseconds(order.createdAt)):\(order.id)"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The position in `cursor`.
    ///
    /// - Throws: `Problem` 400 naming `cursor` when this service did not make it.
    static func decode(_ cursor: String) throws -> OrderPosition {
        var standard = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":"), let time = Int64(text[..<colon])
        else { throw Problem.invalidField("cursor", "is not a cursor this service gave") }
        return OrderPosition(createdAt: time, id: String(text[text.index(after: colon)...]))
    }
}
