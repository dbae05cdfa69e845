import Foundation
import JWT

/// An event as DESIGN.md writes it: `{"id": "<uuid>", "type": "order.created", "occurred_at": "<RFC 3339>",
/// "data": {...}}`; the type is the routing key.
public struct EventEnvelope: Sendable, Hashable, Codable {
    /// A UUID, unique per event: consumers use it to ignore a redelivery.
    public let id: String
    /// `user.registered`, `order.created`, ...
    public let type: String
    /// When the change happened.
    public let occurredAt: Date
    /// The event's fields.
    public let data: JSONValue

    /// An event; `id` and `occurredAt` default to a new UUID and now.
    public init(id: String = UUID().uuidString.lowercased(), type: String, occurredAt: Date = Date(), data: JSONValue) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, data
        case occurredAt = "occurred_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.type = try container.decode(String.self, forKey: .type)
        self.data = try container.decode(JSONValue.self, forKey: .data)
        let text = try container.decode(String.self, forKey: .occurredAt)
        guard let date = Self.parseDate(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .occurredAt, in: container, debugDescription: "expected an RFC 3339 time")
        }
        self.occurredAt = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.type, forKey: .type)
        try container.encode(Timestamp.rfc3339(self.occurredAt), forKey: .occurredAt)
        try container.encode(self.data, forKey: .data)
    }

    /// The envelope as JSON text.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// An envelope from JSON text.
    public static func parse(_ text: String) throws -> EventEnvelope {
        try JSONDecoder().decode(EventEnvelope.self, from: Data(text.utf8))
    }

    private static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }
}
