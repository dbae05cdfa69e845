import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The notification service as `acme service notifications` runs it, configured from the environment: PostgreSQL
/// (`NOTIFICATIONS_DATABASE_URL` or `DATABASE_URL`) or `./data/notifications.sqlite`, tokens checked against the
/// user service's key set, users read from it with the service's own client (`NOTIFICATIONS_CLIENT_ID` /
/// `NOTIFICATIONS_CLIENT_SECRET`, scope `users:read`) when set, the in-process event bus unless the caller shares
/// one. `close()` releases them after the application has stopped.
public final class NotificationServiceProcess {
    /// The prepared service.
    public let app: NotificationServiceApp
    /// The application to run (a ServiceLifecycle service).
    public let application: Application<RouterResponder<ServiceRequestContext>>
    private let resources: ServiceProcessResources

    private init(
        app: NotificationServiceApp, application: Application<RouterResponder<ServiceRequestContext>>,
        resources: ServiceProcessResources
    ) {
        self.app = app
        self.application = application
        self.resources = resources
    }

    /// Opens the database, migrates, and builds the application on `listen` (from `--listen`, else
    /// `NOTIFICATIONS_LISTEN`, else `127.0.0.1:8104`). `bus` is the event bus shared with the other services of the
    /// process (the caller closes it); without one the service makes its own.
    ///
    /// - Throws: `ServiceConfigurationError` for a bad setting; `SQLError` when the database cannot be used.
    public static func open(
        listen option: String?, environment: [String: String], bus shared: (any EventBus)? = nil, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> NotificationServiceProcess {
        let listen = try ServiceListenAddress.resolve(
            option: option, service: "notifications", environment: environment,
            fallback: ServiceListenAddress(host: "127.0.0.1", port: 8104))
        let configuration = try NotificationServiceConfiguration.fromEnvironment(environment)
        let directory = ClientCredentialsTokenProvider.fromEnvironment(
            service: "notifications", environment: environment, scopes: ["users:read"]
        ).map { UserServiceDirectory(baseURL: configuration.usersURL, tokens: $0) }
        let resources = try await ServiceProcessResources.open(
            database: .fromEnvironment(service: "notifications", environment: environment), environment: environment,
            sharedBus: shared, logger: logger)
        return try await resources.closingOnFailure {
            do {
                let app = try await NotificationServiceApp.make(
                    configuration: configuration, database: resources.database, bus: resources.bus,
                    keys: JWKSKeys(url: configuration.jwksURL, logger: logger), directory: directory, logger: logger)
                return NotificationServiceProcess(
                    app: app, application: app.application(listen: listen, onServerRunning: onServerRunning),
                    resources: resources)
            } catch let error as NotificationTemplates.RenderingError {
                throw ServiceConfigurationError(error.description)
            }
        }
    }

    /// Releases the bus (its own) and the database; call after the application has stopped.
    public func close() async {
        await self.resources.close()
    }
}
