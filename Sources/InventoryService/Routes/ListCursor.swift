import Foundation
import ServiceKit

/// The `cursor` of the lists: the last key of the previous page, base64url-encoded so that clients treat it as
/// opaque.
enum ListCursor {
    /// The cursor after `key`.
    static func make(after key: String) -> String {
        Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The key a cursor stands for.
    ///
    /// - Throws: `Problem` 400 naming `cursor` when it is not one this service gave.
    static func key(_ cursor: String) throws -> String {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let key = String(data: data, encoding: .utf8), !key.isEmpty
        else { throw Problem.invalidField("cursor", "is not a cursor this service gave") }
        return key
    }

    /// A page of `items` read with one more than `limit`: the first `limit`, and the cursor after the last of them
    /// when there were more.
    static func page<Item: Encodable & Sendable>(_ items: [Item], limit: Int, key: (Item) -> String) -> Page<Item> {
        let shown = Array(items.prefix(limit))
        let next = items.count > limit ? shown.last.map { Self.make(after: key($0)) } : nil
        return Page(data: shown, nextCursor: next)
    }
}
