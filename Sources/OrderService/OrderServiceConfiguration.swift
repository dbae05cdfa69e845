import ServiceKit

/// The order service's settings, from the environment (`fromEnvironment`) or set by tests.
public struct OrderServiceConfiguration: Sendable {
    /// The user service (`USERS_URL`): its token endpoint, its key set, `GET /users/{id}`.
    public var usersURL: String = "http://127.0.0.1:8101"
    /// The inventory service (`INVENTORY_URL`).
    public var inventoryURL: String = "http://127.0.0.1:8103"
    /// `iss` of the tokens (`USERS_ISSUER`; by default the user service's own default, whatever `USERS_URL` is).
    public var issuer: String = "http://127.0.0.1:8101"
    /// `aud` of the tokens.
    public var audience: String = "acme-api"
    /// The service's OAuth client (`ORDERS_CLIENT_ID`).
    public var clientID: String = ""
    /// Its secret (`ORDERS_CLIENT_SECRET`).
    public var clientSecret: String = ""
    /// The scopes the service asks for.
    public static let scopes = ["users:read", "inventory:write"]
    /// How the user and inventory services are called (`ORDERS_DEPENDENCY_TIMEOUT` in milliseconds sets the
    /// deadline of one attempt).
    public var dependencyPolicy = DependencyClient.Policy()
    /// Consecutive failures that open a dependency's circuit.
    public var breakerThreshold = 5
    /// How long an open circuit refuses calls before a trial call.
    public var breakerCooldown: Duration = .seconds(10)
    /// An unfinished request with an `Idempotency-Key` may be taken over by its retry after this long.
    public var idempotencyAbandonedAfter: Duration = .seconds(60)

    /// The defaults (no client: set `clientID` and `clientSecret`).
    public init() {}

    /// The settings from the environment.
    ///
    /// - Throws: `ServiceConfigurationError` naming the variable that is missing or not valid.
    public static func fromEnvironment(_ environment: [String: String]) throws -> OrderServiceConfiguration {
        var configuration = OrderServiceConfiguration()
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : ($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
        }
        if let users = value("USERS_URL") { configuration.usersURL = users }
        if let issuer = value("USERS_ISSUER") { configuration.issuer = issuer }
        if let inventory = value("INVENTORY_URL") { configuration.inventoryURL = inventory }
        guard let id = environment["ORDERS_CLIENT_ID"], !id.isEmpty,
            let secret = environment["ORDERS_CLIENT_SECRET"], !secret.isEmpty
        else {
            throw ServiceConfigurationError(
                "ORDERS_CLIENT_ID and ORDERS_CLIENT_SECRET: required, the order service's OAuth client (create one "
                    + "with `acme users client create --name orders --grant client_credentials --scope users:read "
                    + "--scope inventory:write`)")
        }
        configuration.clientID = id
        configuration.clientSecret = secret
        if let text = environment["ORDERS_DEPENDENCY_TIMEOUT"], !text.isEmpty {
            guard let milliseconds = Int(text), milliseconds > 0 else {
                throw ServiceConfigurationError(
                    "ORDERS_DEPENDENCY_TIMEOUT: expected a positive number of milliseconds, got \"\(text)\"")
            }
            configuration.dependencyPolicy.timeout = .milliseconds(milliseconds)
        }
        return configuration
    }
}
