import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body (OAuth 2.0's requests) as name → value. A name given twice is an
/// error, as RFC 6749 section 3.2 requires of the token endpoint's parameters.
public struct FormBody: Sendable, Hashable {
    /// The parameters; `+` and percent escapes decoded.
    public let values: [String: String]
    /// Names that appeared more than once.
    public let repeated: Set<String>

    /// Parses `text`.
    public init(parsing text: String) {
        var values: [String: String] = [:]
        var repeated: Set<String> = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] != nil { repeated.insert(name) }
            values[name] = value
        }
        self.values = values
        self.repeated = repeated
    }

    /// A parameter's value; empty values count as absent, as RFC 6749 section 3.1 says.
    public subscript(name: String) -> String? {
        guard let value = self.values[name], !value.isEmpty else { return nil }
        return value
    }

    /// `+` as space, then percent escapes (invalid escapes are kept as written).
    public static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// `text` escaped for a form or a query: unreserved characters as they are, the rest percent-encoded.
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }

    /// `name=value&...` from pairs, in order.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension Request {
    /// Reads the body (at most `maxSize` bytes) as a form.
    ///
    /// - Throws: `Problem` 415 unless the content type is `application/x-www-form-urlencoded`, 413 past `maxSize`.
    public func decodeForm(maxSize: Int = 64 << 10) async throws -> FormBody {
        guard let contentType = self.headers[.contentType],
            contentType.lowercased().hasPrefix("application/x-www-form-urlencoded")
        else {
            throw Problem(.unsupportedMediaType, detail: "send the body as application/x-www-form-urlencoded")
        }
        var request = self
        do {
            let buffer = try await request.collectBody(upTo: maxSize)
            return FormBody(parsing: String(buffer: buffer))
        } catch {
            throw Problem(.contentTooLarge, detail: "the body is larger than \(maxSize) bytes")
        }
    }
}
