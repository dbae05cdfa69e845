import Foundation
import NIOHTTP1

/// How the admin API writes JSON: keys sorted (so answers diff well), slashes unescaped, dates in RFC 3339. Keys
/// are written as the views' coding keys spell them (snake_case); no key strategy, which would rewrite the keys of
/// configuration objects too.
enum AdminJSON {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    static func answer<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> AdminAnswer {
        AdminAnswer(status: status, body: Self.encode(value))
    }
}

/// A list as Kong's admin API answers it: `{"data": [...], "next": null}` (everything fits on one page).
struct AdminList<Element: Encodable>: Encodable {
    var data: [Element]

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.data, forKey: .data)
        try container.encodeNil(forKey: .next)
    }

    private enum CodingKeys: String, CodingKey { case data, next }
}

/// A configuration value written back as the JSON it was read from.
extension JSONValue: Encodable {
    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for member in members { try container.encode(member.value, forKey: MemberKey(member.key)) }
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
