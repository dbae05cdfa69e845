import Foundation
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// The notification service put together: migrations applied, the templates loaded, the events subscribed to,
/// the preference and delivery-log routes on a ServiceKit router.
///
/// ```swift
/// let notifications = try await NotificationServiceApp.make(
///     configuration: .init(), database: database, bus: bus, keys: JWKSKeys(url: url, logger: logger), logger: logger)
/// try await notifications.application(listen: address).runService()
/// ```
public struct NotificationServiceApp {
    /// The settings.
    public let configuration: NotificationServiceConfiguration
    /// Preferences and the delivery log.
    public let store: NotificationStore
    /// The event consumer.
    public let events: NotificationEvents
    /// Every route, on ServiceKit's middleware.
    public let router: Router<ServiceRequestContext>
    let logger: Logger

    /// Prepares the service on `database` (migrated here) and subscribes to `bus`. `channels` overrides those the
    /// configuration describes; `directory` is where addresses of users without preferences come from.
    public static func make(
        configuration: NotificationServiceConfiguration, database: any SQLDatabase, bus: any EventBus,
        keys: any VerificationKeys, channels: ChannelSet? = nil, directory: (any UserDirectory)? = nil,
        logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> NotificationServiceApp {
        let store = NotificationStore(database: database)
        try await store.migrate()
        let templates = try NotificationTemplates.load(overrides: configuration.templatesDirectory)
        let dispatcher = DeliveryDispatcher(
            store: store, channels: try channels ?? configuration.channels(), retry: configuration.retry,
            logger: logger, now: now)
        let events = NotificationEvents(
            store: store, templates: templates, dispatcher: dispatcher, directory: directory, logger: logger, now: now)
        try await events.subscribe(to: bus)

        let verifier = TokenVerifier(
            keys: keys, issuer: configuration.issuer, audience: configuration.audience, now: now)
        let router = ServiceApplication.makeRouter(
            readiness: [ReadinessCheck(name: "database") { try await store.ping() }], verifier: verifier)
        PreferenceRoutes(store: store, now: now).add(to: router)
        DeliveryRoutes(store: store).add(to: router)
        return NotificationServiceApp(
            configuration: configuration, store: store, events: events, router: router, logger: logger)
    }

    /// The Hummingbird application on `listen`.
    public func application(
        listen: ServiceListenAddress, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<ServiceRequestContext>> {
        ServiceApplication.make(
            name: "notifications", router: self.router, listen: listen, logger: self.logger,
            onServerRunning: onServerRunning)
    }
}
