import Foundation

/// A warehouse: `{"code", "name", "location", "created_at"}`.
public struct Warehouse: Sendable, Hashable, Encodable {
    /// The warehouse's key, 1 to 64 letters, digits, `-`, `_` or `.` (`berlin-1`).
    public var code: String
    /// The display name.
    public var name: String
    /// Where it is, free text (an address, a city).
    public var location: String
    /// When it was created.
    public var createdAt: Date

    /// A warehouse from its fields.
    public init(code: String, name: String, location: String, createdAt: Date) {
        self.code = code
        self.name = name
        self.location = location
        self.createdAt = createdAt
    }
}
