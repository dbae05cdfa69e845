import Foundation

/// Who made a request, from a verified bearer token: the user (or, for a client-credentials token, the client),
/// what the token's `scope` allows, and the user's `groups`.
public struct Caller: Sendable, Hashable {
    /// `sub`: the user id, or the client id for a client-credentials token.
    public let subject: String
    /// `client_id`: the OAuth client the token was issued to.
    public let clientID: String?
    /// `scope`, split on spaces.
    public let scopes: Set<String>
    /// `groups`: `admin` makes an administrator.
    public let groups: Set<String>
    /// `jti`: the token's id.
    public let tokenID: String?
    /// `exp`.
    public let expiresAt: Date

    /// A caller from its claims' values.
    public init(
        subject: String, clientID: String?, scopes: Set<String>, groups: Set<String>, tokenID: String?,
        expiresAt: Date
    ) {
        self.subject = subject
        self.clientID = clientID
        self.scopes = scopes
        self.groups = groups
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }

    /// Whether the caller is in the `admin` group.
    public var isAdmin: Bool { self.groups.contains("admin") }

    /// Whether the token is a client's own (client credentials, RFC 9068: `sub` is the client id), not a user's.
    public var isClient: Bool { self.clientID != nil && self.subject == self.clientID }

    /// Whether the token's scope includes `scope`.
    public func has(scope: String) -> Bool { self.scopes.contains(scope) }

    /// The user id, for a user's token.
    ///
    /// - Throws: `Problem` 403 for a client's own token.
    public func requireUser() throws -> String {
        guard !self.isClient else { throw Problem.forbidden("this needs a user's token, not a client's") }
        return self.subject
    }

    /// Passes when the caller is `owner`, an administrator, or holds one of `scopes`.
    ///
    /// - Throws: `Problem` 403 otherwise.
    public func requireOwnerOrAdmin(_ owner: String, orScope scopes: String...) throws {
        if (!self.isClient && self.subject == owner) || self.isAdmin { return }
        if scopes.contains(where: self.has(scope:)) { return }
        throw Problem.forbidden("only the owner or an administrator may do this")
    }

    /// Passes for administrators.
    ///
    /// - Throws: `Problem` 403 otherwise.
    public func requireAdmin() throws {
        guard self.isAdmin else { throw Problem.forbidden("only administrators may do this") }
    }
}
