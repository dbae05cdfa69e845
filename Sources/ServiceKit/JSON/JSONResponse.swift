import Foundation
import Hummingbird
import HummingbirdCore

/// JSON answers in the services' conventions: snake_case fields, `Content-Type: application/json`.
public enum JSONResponse {
    /// `value` encoded as JSON with `status` and `headers`.
    public static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        let data = try Self.encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 201 Created with `Location: location` and the created resource.
    public static func created(_ value: some Encodable, location: String) throws -> Response {
        try Self.make(value, status: .created, headers: [.location: location])
    }

    /// The encoder: camelCase properties become snake_case members, dates RFC 3339.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.rfc3339(date))
        }
        return encoder
    }()
}

/// A page of a list, DESIGN.md's shape: `{"data": [...], "next_cursor": "..." | null}`.
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    /// The items of this page.
    public var data: [Item]
    /// The cursor of the next page, `nil` on the last one.
    public var nextCursor: String?

    /// A page of items.
    public init(data: [Item], nextCursor: String?) {
        self.data = data
        self.nextCursor = nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.data, forKey: .data)
        // Always present, null on the last page.
        try container.encode(self.nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey {
        case data
        case nextCursor
    }
}

/// `?limit=&cursor=` as the lists take them.
public struct PageRequest: Sendable, Hashable {
    /// How many items, 1...`maximum` (default `defaultLimit`).
    public var limit: Int
    /// Where the previous page ended, if this is not the first page.
    public var cursor: String?

    /// Reads `limit` and `cursor` from the query.
    ///
    /// - Throws: `Problem` 400 naming `limit` when it is not an integer in 1...`maximum`.
    public init(query: URI, defaultLimit: Int = 50, maximum: Int = 200) throws {
        let parameters = query.queryParameters
        if let text = parameters["limit"] {
            guard let limit = Int(String(text)), (1...maximum).contains(limit) else {
                throw Problem.invalidField("limit", "expected an integer from 1 to \(maximum)")
            }
            self.limit = limit
        } else {
            self.limit = defaultLimit
        }
        self.cursor = parameters["cursor"].map(String.init)
    }
}
