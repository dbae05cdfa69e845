import AsyncHTTPClient
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// The order service put together on a database and an event bus: migrations applied, the clients of the user
/// and inventory services (with the service's own client-credentials token, deadlines, retries and a circuit
/// breaker each), the shipment events consumed, and every route on a ServiceKit router.
///
/// ```swift
/// let orders = try await OrderServiceApp.make(configuration: configuration, database: database, bus: bus,
///                                             logger: logger)
/// try await orders.application(listen: address).runService()
/// ```
public struct OrderServiceApp {
    /// The settings.
    public let configuration: OrderServiceConfiguration
    /// The orders.
    public let store: SQLOrderStore
    /// Relays `order.created` and `order.cancelled` from the outbox to the bus.
    public let relay: OutboxRelay
    /// The user service's circuit breaker.
    public let usersBreaker: CircuitBreaker
    /// The inventory service's circuit breaker.
    public let inventoryBreaker: CircuitBreaker
    /// Every route, on ServiceKit's middleware.
    public let router: Router<ServiceRequestContext>
    let logger: Logger

    /// Prepares the service and subscribes it to the shipment events on `bus`.
    public static func make(
        configuration: OrderServiceConfiguration, database: any SQLDatabase, bus: any EventBus, logger: Logger,
        httpClient: HTTPClient = .dependencies
    ) async throws -> OrderServiceApp {
        let store = SQLOrderStore(database: database)
        try await store.migrate()
        let relay = OutboxRelay(database: database, bus: bus, logger: logger)
        let tokens = ClientCredentialsTokenProvider(
            tokenURL: configuration.usersURL + "/oauth/token", clientID: configuration.clientID,
            clientSecret: configuration.clientSecret, scopes: OrderServiceConfiguration.scopes,
            httpClient: httpClient)
        let usersBreaker = CircuitBreaker(
            name: "users", failureThreshold: configuration.breakerThreshold,
            openDuration: configuration.breakerCooldown)
        let inventoryBreaker = CircuitBreaker(
            name: "inventory", failureThreshold: configuration.breakerThreshold,
            openDuration: configuration.breakerCooldown)
        let users = UserDirectory(
            client: DependencyClient(
                service: "users", baseURL: configuration.usersURL, policy: configuration.dependencyPolicy,
                breaker: usersBreaker, authorization: { try await tokens.authorizationHeader() },
                httpClient: httpClient, logger: logger))
        let inventory = InventoryClient(
            client: DependencyClient(
                service: "inventory", baseURL: configuration.inventoryURL, policy: configuration.dependencyPolicy,
                breaker: inventoryBreaker, authorization: { try await tokens.authorizationHeader() },
                httpClient: httpClient, logger: logger))
        try await ShipmentEvents(store: store, logger: logger).subscribe(to: bus)

        let verifier = TokenVerifier(
            keys: JWKSKeys(
                url: configuration.usersURL + "/.well-known/jwks.json", httpClient: httpClient, logger: logger),
            issuer: configuration.issuer, audience: configuration.audience)
        let router = ServiceApplication.makeRouter(
            readiness: [ReadinessCheck(name: "database") { try await store.ping() }], verifier: verifier)
        OrderRoutes(
            store: store,
            placement: OrderPlacement(store: store, users: users, inventory: inventory, relay: relay),
            inventory: inventory, relay: relay, abandonedAfter: configuration.idempotencyAbandonedAfter
        ).add(to: router)
        return OrderServiceApp(
            configuration: configuration, store: store, relay: relay, usersBreaker: usersBreaker,
            inventoryBreaker: inventoryBreaker, router: router, logger: logger)
    }

    /// The Hummingbird application on `listen`, with the outbox relay beside it.
    public func application(
        listen: ServiceListenAddress, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<ServiceRequestContext>> {
        ServiceApplication.make(
            name: "orders", router: self.router, listen: listen, services: [self.relay], logger: self.logger,
            onServerRunning: onServerRunning)
    }
}
