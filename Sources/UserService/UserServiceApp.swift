import Foundation
import Hummingbird
import JWT
import Logging
import ServiceKit
import ServiceLifecycle

/// The user service put together on a database, a session store and an event bus: migrations applied, the first
/// signing key made, the demo data installed (when configured), and every route on a ServiceKit router.
///
/// ```swift
/// let users = try await UserServiceApp.make(
///     configuration: .init(), database: database, sessions: MemorySessionStore(), bus: bus, logger: logger)
/// try await users.application(listen: address).runService()
/// ```
public struct UserServiceApp {
    /// The settings.
    public let configuration: UserServiceConfiguration
    /// Accounts, clients and keys.
    public let store: SQLUserStore
    /// Refresh sessions, codes, the profile cache, login counters.
    public let sessions: any SessionStore
    /// The signing keys.
    public let keyRing: KeyRing
    /// Relays `user.registered` from the outbox to the bus.
    public let relay: OutboxRelay
    /// Verifies the service's own tokens (against the key ring, no HTTP).
    public let verifier: TokenVerifier
    /// Every route, on ServiceKit's middleware.
    public let router: Router<ServiceRequestContext>
    /// What runs beside the server: the outbox relay and the key-ring reloader.
    public let services: [any Service]
    let logger: Logger

    /// Prepares the service. `now` is the clock of tokens and keys (tests move it).
    public static func make(
        configuration: UserServiceConfiguration, database: any SQLDatabase, sessions: any SessionStore,
        bus: any EventBus, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> UserServiceApp {
        let store = SQLUserStore(database: database)
        try await store.migrate()
        let hasher = PasswordHasher(cost: configuration.passwordCost)
        if configuration.demoData { try await DemoData.install(store: store, hasher: hasher) }
        let keyRing = KeyRing(store: store, retention: configuration.keyRetention, now: now)
        try await keyRing.ensureKey(algorithm: configuration.signingAlgorithm)
        let relay = OutboxRelay(database: database, bus: bus, logger: logger)
        let verifier = TokenVerifier(
            keys: keyRing, issuer: configuration.issuer, audience: configuration.audience, now: now)

        let router = ServiceApplication.makeRouter(
            readiness: [
                ReadinessCheck(name: "database") { try await store.ping() },
                ReadinessCheck(name: "cache") { try await sessions.ping() },
            ],
            verifier: verifier)
        let login = PasswordLogin(
            store: store, hasher: hasher,
            throttle: LoginThrottle(sessions: sessions, policy: configuration.loginThrottle),
            decoyHash: try await hasher.hash(RandomToken.make()))
        let clients = ClientAuthenticator(store: store)
        let issuer = TokenIssuer(
            keyRing: keyRing, sessions: sessions, issuer: configuration.issuer, audience: configuration.audience,
            accessTokenLifetime: configuration.accessTokenLifetime,
            refreshTokenLifetime: configuration.refreshTokenLifetime, now: now)
        AccountRoutes(
            store: store, sessions: sessions, hasher: hasher, relay: relay,
            profileCacheLifetime: configuration.profileCacheLifetime
        ).add(to: router)
        let token = TokenEndpoint(clients: clients, login: login, issuer: issuer, store: store, sessions: sessions)
        let inspection = TokenInspection(clients: clients, sessions: sessions, verifier: verifier)
        let authorize = AuthorizeEndpoint(
            store: store, login: login, sessions: sessions, codeLifetime: configuration.authorizationCodeLifetime)
        router.post("/oauth/token") { request, context in try await token.handle(request, context: context) }
        router.post("/oauth/revoke") { request, context in try await inspection.revoke(request, context: context) }
        router.post("/oauth/introspect") { request, context in
            try await inspection.introspect(request, context: context)
        }
        router.get("/oauth/authorize") { request, context in try await authorize.show(request, context: context) }
        router.post("/oauth/authorize") { request, context in try await authorize.submit(request, context: context) }
        DiscoveryRoutes(
            keyRing: keyRing, issuer: configuration.issuer, signingAlgorithms: ["RS256", "ES256"]
        ).add(to: router)

        let reloader = KeyRingReloader(keyRing: keyRing, interval: configuration.keyReloadInterval, logger: logger)
        return UserServiceApp(
            configuration: configuration, store: store, sessions: sessions, keyRing: keyRing, relay: relay,
            verifier: verifier, router: router, services: [relay, reloader], logger: logger)
    }

    /// The Hummingbird application on `listen`, with the relay and reloader beside it.
    public func application(
        listen: ServiceListenAddress, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<ServiceRequestContext>> {
        ServiceApplication.make(
            name: "users", router: self.router, listen: listen, services: self.services, logger: self.logger,
            onServerRunning: onServerRunning)
    }
}
