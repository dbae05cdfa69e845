import Foundation
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// The inventory service put together on a database, an event bus and the keys that verify tokens: migrations
/// applied, every route on a ServiceKit router, and the background work beside the server (outbox relay,
/// reservation expiry, and with a WMS the stock sync and the fulfilment dispatch).
///
/// ```swift
/// let inventory = try await InventoryServiceApp.make(
///     configuration: .init(), database: database, bus: bus, keys: JWKSKeys(url: url, logger: logger), logger: logger)
/// try await inventory.application(listen: address).runService()
/// ```
public struct InventoryServiceApp {
    /// The settings.
    public let configuration: InventoryServiceConfiguration
    /// Products, warehouses, stock, reservations.
    public let store: any InventoryStore
    /// Relays `shipment.*` events from the outbox to the bus.
    public let relay: OutboxRelay
    /// Releases expired reservations.
    public let expiry: ReservationExpiry
    /// The WMS's stock sync, with a WMS.
    public let stockSync: WMSStockSync?
    /// The fulfilment dispatch, with a WMS.
    public let fulfilment: FulfilmentDispatcher?
    /// Every route, on ServiceKit's middleware.
    public let router: Router<ServiceRequestContext>
    /// What runs beside the server.
    public let services: [any Service]
    let logger: Logger

    /// Prepares the service on `database` (migrated here). `wmsClient` overrides the client made from
    /// `configuration.wms` (tests shorten its timeouts); `now` is the clock (tests move it).
    public static func make(
        configuration: InventoryServiceConfiguration, database: any SQLDatabase, bus: any EventBus,
        keys: any VerificationKeys, wmsClient: WMSClient? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> InventoryServiceApp {
        let store = SQLInventoryStore(database: database)
        try await store.migrate()
        let relay = OutboxRelay(database: database, bus: bus, logger: logger)
        let verifier = TokenVerifier(
            keys: keys, issuer: configuration.issuer, audience: configuration.audience, now: now)
        let router = ServiceApplication.makeRouter(
            readiness: [ReadinessCheck(name: "database") { try await store.ping() }], verifier: verifier)

        let expiry = ReservationExpiry(store: store, logger: logger, now: now)
        var services: [any Service] = [
            relay, PeriodicService(interval: configuration.expiryInterval) { await expiry.passLogged() },
        ]
        let client =
            wmsClient
            ?? configuration.wms.map { WMSClient(baseURL: $0.url, token: $0.token, timeout: $0.timeout) }
        var stockSync: WMSStockSync?
        var fulfilment: FulfilmentDispatcher?
        var fulfilmentService: PeriodicService?
        if let client {
            let sync = WMSStockSync(store: store, client: client, logger: logger, now: now)
            let dispatcher = FulfilmentDispatcher(store: store, client: client, logger: logger, now: now)
            let dispatch = PeriodicService(interval: .seconds(5)) { await dispatcher.passLogged() }
            let syncInterval = configuration.wms?.syncInterval ?? .seconds(60)
            services += [dispatch, PeriodicService(interval: syncInterval) { await sync.passLogged() }]
            stockSync = sync
            fulfilment = dispatcher
            fulfilmentService = dispatch
        }

        CatalogRoutes(store: store, now: now).add(to: router)
        StockRoutes(store: store, now: now).add(to: router)
        ReservationRoutes(
            store: store, timeToLive: configuration.reservationTTL, fulfilment: fulfilmentService, now: now
        ).add(to: router)
        WMSWebhookRoutes(
            store: store, secret: configuration.webhookSecret, tolerance: configuration.webhookTolerance,
            relay: relay, now: now
        ).add(to: router)

        return InventoryServiceApp(
            configuration: configuration, store: store, relay: relay, expiry: expiry, stockSync: stockSync,
            fulfilment: fulfilment, router: router, services: services, logger: logger)
    }

    /// The Hummingbird application on `listen`, with the background work beside it.
    public func application(
        listen: ServiceListenAddress, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<ServiceRequestContext>> {
        ServiceApplication.make(
            name: "inventory", router: self.router, listen: listen, services: self.services, logger: self.logger,
            onServerRunning: onServerRunning)
    }
}
