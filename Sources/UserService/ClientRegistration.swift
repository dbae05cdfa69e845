import ServiceKit

/// Creates OAuth clients (`acme users client create`): a random id, and for a confidential client a random
/// 256-bit secret, shown once and stored as its SHA-256.
public enum ClientRegistration {
    /// The grant types a client may be given.
    public static let grantTypes: Set<String> = [
        "password", "client_credentials", "refresh_token", "authorization_code",
    ]

    /// What a creation prints: `{"client_id": ..., "client_secret": ...}` (`null` for a public client).
    public struct Credentials: Sendable, Encodable {
        /// The new client's id.
        public let clientId: String
        /// Its secret, `nil` for a public client.
        public let clientSecret: String?

        /// Credentials from their parts.
        public init(clientId: String, clientSecret: String?) {
            self.clientId = clientId
            self.clientSecret = clientSecret
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.clientId, forKey: .clientId)
            try container.encode(self.clientSecret, forKey: .clientSecret)
        }

        private enum CodingKeys: String, CodingKey {
            case clientId = "client_id"
            case clientSecret = "client_secret"
        }
    }

    /// Creates a client.
    ///
    /// - Throws: `ServiceConfigurationError` for an unknown grant, a scope that is not one word, a public client
    ///   asking for `client_credentials`, or `authorization_code` without a redirect URI.
    public static func create(
        store: any UserStore, name: String, grants: [String], scopes: [String], redirectURIs: [String],
        isPublic: Bool
    ) async throws -> Credentials {
        if let unknown = grants.first(where: { !Self.grantTypes.contains($0) }) {
            throw ServiceConfigurationError(
                "--grant: unknown grant type \"\(unknown)\" "
                    + "(expected \(Self.grantTypes.sorted().joined(separator: ", ")))"
            )
        }
        if let bad = scopes.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw ServiceConfigurationError("--scope: \"\(bad)\" is not one word")
        }
        if isPublic, grants.contains("client_credentials") {
            throw ServiceConfigurationError("--public: a public client cannot use client_credentials")
        }
        if grants.contains("authorization_code"), redirectURIs.isEmpty {
            throw ServiceConfigurationError("--redirect-uri: authorization_code needs a redirect URI")
        }
        let id = RandomToken.make(bytes: 16)
        let secret = isPublic ? nil : RandomToken.make()
        try await store.createClient(
            OAuthClientRecord(
                id: id, name: name, secretHash: secret.map(RandomToken.digest), redirectURIs: redirectURIs,
                grants: grants, scopes: scopes, createdAt: Timestamp.nowMilliseconds()))
        return Credentials(clientId: id, clientSecret: secret)
    }
}
