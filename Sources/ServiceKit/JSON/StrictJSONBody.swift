import Foundation
import Hummingbird
import JWT

/// A JSON request body with a fixed set of fields. `Request.decodeBody` refuses, with 400 problem documents naming
/// the field, a body that is not a JSON object, a field not in `fields`, a missing field, and a wrong type.
///
/// Field names are snake_case on the wire; the Swift properties are their camelCase forms.
public protocol StrictJSONBody: Decodable, Sendable {
    /// Every field the body may carry, as written on the wire.
    static var fields: Set<String> { get }
}

extension Request {
    /// Reads the body (at most `maxSize` bytes) as `Body`.
    ///
    /// - Throws: `Problem` 415 unless the content type is JSON, 413 past `maxSize`, 400 with per-field `errors`
    ///   for unknown fields, missing ones and wrong types.
    public func decodeBody<Body: StrictJSONBody>(
        _ type: Body.Type, context: some RequestContext, maxSize: Int = 1 << 20
    ) async throws -> Body {
        if let contentType = self.headers[.contentType],
            !contentType.lowercased().hasPrefix("application/json")
        {
            throw Problem(.unsupportedMediaType, detail: "send the body as application/json")
        }
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxSize)
        } catch {
            throw Problem(.contentTooLarge, detail: "the body is larger than \(maxSize) bytes")
        }
        return try JSONBody.decode(Body.self, from: Data(buffer.readableBytesView))
    }
}

/// Strict JSON decoding for `StrictJSONBody` types.
public enum JSONBody {
    /// Decodes `data` as `Body`, refusing unknown fields and naming the field of every failure.
    public static func decode<Body: StrictJSONBody>(_ type: Body.Type, from data: Data) throws -> Body {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw Problem.validation([], detail: "the body is not a JSON object")
        }
        let unknown = object.keys.filter { !Body.fields.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw Problem.validation(
                unknown.map { FieldError(field: $0, detail: "unknown field") },
                detail: "unknown field\(unknown.count > 1 ? "s" : ""): \(unknown.joined(separator: ", "))")
        }
        do {
            return try Self.decoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            let fieldError = Self.fieldError(error)
            throw Problem.validation([fieldError], detail: "\(fieldError.field): \(fieldError.detail)")
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static func fieldError(_ error: DecodingError) -> FieldError {
        switch error {
        case .typeMismatch(let type, let context):
            return FieldError(field: Self.path(context.codingPath), detail: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(field: Self.path(context.codingPath), detail: "expected \(Self.describe(type)), got null")
        case .keyNotFound(let key, let context):
            return FieldError(field: Self.path(context.codingPath + [key]), detail: "is required")
        case .dataCorrupted(let context):
            return FieldError(field: Self.path(context.codingPath), detail: "is not valid")
        @unknown default:
            return FieldError(field: "", detail: "is not valid")
        }
    }

    /// `itemsList.0.skuCode` → `items_list.0.sku_code`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map(String.init) ?? Self.snakeCase(key.stringValue) }
            .joined(separator: ".")
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of another type"
        }
    }
}
