/// An OAuth 2.0 client as stored: confidential (with a secret, kept as its SHA-256) or public (none).
public struct OAuthClientRecord: Sendable, Hashable {
    /// `client_id`.
    public var id: String
    /// A name for people.
    public var name: String
    /// SHA-256 of the secret in hexadecimal; `nil` for a public client. Secrets are 256 random bits, so a fast
    /// hash suffices (no dictionary to attack).
    public var secretHash: String?
    /// Exact redirect URIs allowed for the authorization-code grant.
    public var redirectURIs: [String]
    /// Grant types the client may use: `password`, `client_credentials`, `refresh_token`, `authorization_code`.
    public var grants: [String]
    /// Scopes the client may ask for (and gets when it asks for none).
    public var scopes: [String]
    /// Milliseconds since 1970.
    public var createdAt: Int64

    /// A client from its fields.
    public init(
        id: String, name: String, secretHash: String?, redirectURIs: [String], grants: [String], scopes: [String],
        createdAt: Int64
    ) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.redirectURIs = redirectURIs
        self.grants = grants
        self.scopes = scopes
        self.createdAt = createdAt
    }

    /// Whether the client has no secret (a CLI, a single-page app).
    public var isPublic: Bool { self.secretHash == nil }

    /// Whether the client may use `grant`.
    public func allows(grant: String) -> Bool { self.grants.contains(grant) }
}
