import ServiceKit

/// The embedded demo data (DESIGN.md): the user `demo@example.com` with the password `demo-password`, and the public
/// OAuth client `acme-cli` (password, refresh and authorization-code grants, a loopback redirect URI). Installed
/// once; an existing user or client is left as it is.
public enum DemoData {
    /// The demo user's email.
    public static let email = "demo@example.com"
    /// The demo user's password.
    public static let password = "demo-password"
    /// The demo client's id.
    public static let clientID = "acme-cli"
    /// The demo client's redirect URI.
    public static let redirectURI = "http://127.0.0.1:8976/callback"

    static func install(store: any UserStore, hasher: PasswordHasher) async throws {
        let now = Timestamp.nowMilliseconds()
        if try await store.user(email: Self.email) == nil {
            let user = UserRecord(
                id: "00000000-0000-4000-8000-000000000001", email: Self.email, name: "Demo User",
                passwordHash: try await hasher.hash(Self.password), groups: [], createdAt: now, updatedAt: now)
            let event = EventEnvelope(
                type: "user.registered",
                data: ["user_id": .string(user.id), "email": .string(user.email), "name": .string(user.name)])
            do {
                try await store.createUser(user, event: event)
            } catch UserStoreError.emailTaken {
                // Another process installed it first.
            }
        }
        if try await store.client(id: Self.clientID) == nil {
            do {
                try await store.createClient(
                    OAuthClientRecord(
                        id: Self.clientID, name: "Acme CLI", secretHash: nil, redirectURIs: [Self.redirectURI],
                        grants: ["password", "refresh_token", "authorization_code"], scopes: ["profile", "orders"],
                        createdAt: now))
            } catch UserStoreError.clientExists {
                // Another process installed it first.
            }
        }
    }
}
