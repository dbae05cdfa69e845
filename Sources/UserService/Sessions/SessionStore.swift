import Foundation

/// A refresh token's session: whose it is, for which client and scope, and the family of tokens it belongs to
/// (one family per login; every rotation adds a token to it).
public struct RefreshSession: Sendable, Hashable, Codable {
    /// The family: revoking it ends every token of the login.
    public var family: String
    /// The user.
    public var userID: String
    /// The client it was issued to.
    public var clientID: String
    /// The granted scope, space-separated.
    public var scope: String

    /// A session from its fields.
    public init(family: String, userID: String, clientID: String, scope: String) {
        self.family = family
        self.userID = userID
        self.clientID = clientID
        self.scope = scope
    }
}

/// An authorization code's grant, kept until the client exchanges it (once).
public struct AuthorizationGrant: Sendable, Hashable, Codable {
    /// The user who logged in.
    public var userID: String
    /// The client that asked.
    public var clientID: String
    /// The redirect URI it asked with (the token request must repeat it).
    public var redirectURI: String
    /// The granted scope, space-separated.
    public var scope: String
    /// PKCE (RFC 7636): the S256 code challenge.
    public var codeChallenge: String

    /// A grant from its fields.
    public init(userID: String, clientID: String, redirectURI: String, scope: String, codeChallenge: String) {
        self.userID = userID
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.codeChallenge = codeChallenge
    }
}

/// What rotating a refresh token found.
public enum RefreshRotation: Sendable, Hashable {
    /// The token was valid: it is now spent, and the new token carries `session`.
    case rotated(RefreshSession)
    /// The token was spent already: someone replays it, so its whole family has been revoked.
    case reused(family: String)
    /// No such token, or its family was revoked or has expired.
    case invalid
}

/// The user service's short-lived state, in Redis when `REDIS_URL` is set (shared by every instance) or in memory:
/// refresh-token families, authorization codes, the profile cache, failed-login counters and revoked access tokens.
/// Secrets are looked up by their SHA-256 (`RandomToken.digest`), never stored as they are.
public protocol SessionStore: Sendable {
    /// Starts a family with its first refresh token; the family ends after `lifetime` whatever its rotations.
    func startRefreshFamily(tokenDigest: String, session: RefreshSession, lifetime: Duration) async throws

    /// Spends the refresh token `tokenDigest` and, when it was valid, adds `newTokenDigest` to its family, in one
    /// atomic step. A spent token presented again revokes the family.
    func rotateRefreshToken(tokenDigest: String, newTokenDigest: String) async throws -> RefreshRotation

    /// The session of an unspent refresh token of a live family (for introspection and revocation).
    func refreshSession(tokenDigest: String) async throws -> RefreshSession?

    /// Ends a family: none of its tokens refreshes any more.
    func revokeRefreshFamily(_ family: String) async throws

    /// Keeps an authorization code's grant for `lifetime`.
    func saveAuthorizationCode(digest: String, grant: AuthorizationGrant, lifetime: Duration) async throws

    /// Takes (reads and deletes, atomically) an authorization code's grant: a code works once.
    func takeAuthorizationCode(digest: String) async throws -> AuthorizationGrant?

    /// The cached profile JSON of a user.
    func cachedProfile(userID: String) async throws -> Data?

    /// Caches a user's profile JSON for `lifetime`.
    func cacheProfile(userID: String, json: Data, lifetime: Duration) async throws

    /// Drops a user's cached profile (after an update or a delete).
    func invalidateProfile(userID: String) async throws

    /// Counts one failed login under each key (an account, an address) and returns the counts in the window
    /// (`window` from each key's first failure).
    func recordLoginFailure(keys: [String], window: Duration) async throws -> [Int]

    /// The failed-login counts of `keys` in their windows.
    func loginFailures(keys: [String]) async throws -> [Int]

    /// Forgets the failures of `key` (after a successful login to that account).
    func clearLoginFailures(key: String) async throws

    /// Marks an access token (`jti`) revoked until it expires, for introspection.
    func revokeAccessToken(id: String, lifetime: Duration) async throws

    /// Whether an access token was revoked.
    func isAccessTokenRevoked(id: String) async throws -> Bool

    /// Checks that the store answers (readiness).
    func ping() async throws
}
