import Foundation
import ServiceKit

/// A user account as stored.
public struct UserRecord: Sendable, Hashable {
    /// A UUID, lowercase.
    public var id: String
    /// Normalised (see `EmailAddress.normalise`), unique.
    public var email: String
    /// The display name.
    public var name: String
    /// argon2id, PHC string form.
    public var passwordHash: String
    /// `admin`, ...: copied into the tokens' `groups` claim.
    public var groups: [String]
    /// Milliseconds since 1970.
    public var createdAt: Int64
    /// Milliseconds since 1970.
    public var updatedAt: Int64

    /// A record from its fields.
    public init(
        id: String, email: String, name: String, passwordHash: String, groups: [String], createdAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.groups = groups
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What the API shows of the account (never the password hash).
    public var profile: UserProfile {
        UserProfile(
            id: self.id, email: self.email, name: self.name, groups: self.groups,
            createdAt: Timestamp.date(milliseconds: self.createdAt),
            updatedAt: Timestamp.date(milliseconds: self.updatedAt))
    }
}

/// A user as the API answers it: `{"id", "email", "name", "groups", "created_at", "updated_at"}`.
public struct UserProfile: Sendable, Hashable, Codable {
    /// The user id.
    public var id: String
    /// The normalised email.
    public var email: String
    /// The display name.
    public var name: String
    /// The groups (`admin`, ...).
    public var groups: [String]
    /// When the account was made.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
}

/// Email addresses as the service compares them.
public enum EmailAddress {
    /// `email` trimmed and lowercased (so `Ann@Example.COM ` and `ann@example.com` are one account); `nil` unless it
    /// has one `@` with text on both sides, a dot in the domain, no spaces, and at most 254 characters.
    public static func normalise(_ email: String) -> String? {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !trimmed.contains(where: { $0.isWhitespace || $0.isNewline })
        else { return nil }
        return trimmed
    }
}
