import JWT
import ServiceKit

/// The user service's settings, from the environment (`fromEnvironment`) or set by tests.
public struct UserServiceConfiguration: Sendable {
    /// `iss` of the tokens and base of the discovery document's URLs (`USERS_ISSUER`).
    public var issuer: String = "http://127.0.0.1:8101"
    /// `aud` of the tokens.
    public var audience: String = "acme-api"
    /// The algorithm of new signing keys (`USERS_SIGNING_ALGORITHM`: `RS256` or `ES256`).
    public var signingAlgorithm: JWTAlgorithm = .rs256
    /// Access-token lifetime (`USERS_ACCESS_TOKEN_TTL`, seconds; 15 minutes by default).
    public var accessTokenLifetime: Duration = .seconds(900)
    /// Refresh-token family lifetime (`USERS_REFRESH_TOKEN_TTL`, seconds; 30 days by default): a login ends then,
    /// however often it was refreshed.
    public var refreshTokenLifetime: Duration = .seconds(30 * 86_400)
    /// Authorization codes live this long.
    public var authorizationCodeLifetime: Duration = .seconds(60)
    /// Profiles stay cached this long (updates and deletes invalidate them at once).
    public var profileCacheLifetime: Duration = .seconds(300)
    /// How often the key ring is reloaded from the database.
    public var keyReloadInterval: Duration = .seconds(60)
    /// The argon2id cost of new password hashes.
    public var passwordCost: PasswordHasher.Cost = .standard
    /// Failed-login slowing and locking.
    public var loginThrottle: LoginThrottle.Policy = .standard
    /// Whether to create the demo user and the `acme-cli` client (`USERS_DEMO_DATA`; by default on SQLite, the
    /// embedded default, and never on PostgreSQL unless asked).
    public var demoData: Bool = true

    /// The defaults.
    public init() {}

    /// How long a retired signing key stays published: its last tokens' lifetime, plus the reload interval
    /// during which another instance may still sign with it, plus a minute of clock skew.
    public var keyRetention: Duration { self.accessTokenLifetime + self.keyReloadInterval * 2 + .seconds(60) }

    /// The settings from the environment; `database` decides the demo data's default.
    ///
    /// - Throws: `ServiceConfigurationError` naming the variable that is not valid.
    public static func fromEnvironment(
        _ environment: [String: String], database: DatabaseConfiguration
    ) throws -> UserServiceConfiguration {
        var configuration = UserServiceConfiguration()
        if let issuer = environment["USERS_ISSUER"], !issuer.isEmpty {
            configuration.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        }
        if let name = environment["USERS_SIGNING_ALGORITHM"] {
            guard let algorithm = JWTAlgorithm(name: name.uppercased()), algorithm == .rs256 || algorithm == .es256
            else {
                throw ServiceConfigurationError("USERS_SIGNING_ALGORITHM: expected RS256 or ES256, got \"\(name)\"")
            }
            configuration.signingAlgorithm = algorithm
        }
        configuration.accessTokenLifetime = try Self.seconds(
            environment, "USERS_ACCESS_TOKEN_TTL", default: configuration.accessTokenLifetime)
        configuration.refreshTokenLifetime = try Self.seconds(
            environment, "USERS_REFRESH_TOKEN_TTL", default: configuration.refreshTokenLifetime)
        switch environment["USERS_DEMO_DATA"]?.lowercased() {
        case nil, "":
            if case .postgres = database { configuration.demoData = false }
        case "true", "1", "yes":
            configuration.demoData = true
        case "false", "0", "no":
            configuration.demoData = false
        case let other?:
            throw ServiceConfigurationError("USERS_DEMO_DATA: expected true or false, got \"\(other)\"")
        }
        return configuration
    }

    private static func seconds(_ environment: [String: String], _ name: String, default value: Duration) throws
        -> Duration
    {
        guard let text = environment[name], !text.isEmpty else { return value }
        guard let seconds = Int(text), seconds > 0 else {
            throw ServiceConfigurationError("\(name): expected a positive number of seconds, got \"\(text)\"")
        }
        return .seconds(seconds)
    }
}
