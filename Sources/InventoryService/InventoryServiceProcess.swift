import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The inventory service as `acme service inventory` runs it, configured from the environment: PostgreSQL
/// (`INVENTORY_DATABASE_URL` or `DATABASE_URL`) or `./data/inventory.sqlite`, tokens checked against the user
/// service's key set (`USERS_URL`, `USERS_ISSUER`), the in-process event bus, the WMS at `WMS_URL` when set.
/// `close()` releases them after the application has stopped.
public final class InventoryServiceProcess {
    /// The prepared service.
    public let app: InventoryServiceApp
    /// The application to run (a ServiceLifecycle service).
    public let application: Application<RouterResponder<ServiceRequestContext>>
    private let resources: ServiceProcessResources

    private init(
        app: InventoryServiceApp, application: Application<RouterResponder<ServiceRequestContext>>,
        resources: ServiceProcessResources
    ) {
        self.app = app
        self.application = application
        self.resources = resources
    }

    /// Opens the database, migrates, and builds the application on `listen` (from `--listen`, else
    /// `INVENTORY_LISTEN`, else `127.0.0.1:8103`). `bus` is the event bus shared with the other services of the
    /// process (`acme up`; the caller closes it); without one the service makes its own.
    ///
    /// - Throws: `ServiceConfigurationError` for a bad setting; `SQLError` when the database cannot be used.
    public static func open(
        listen option: String?, environment: [String: String], bus shared: (any EventBus)? = nil, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> InventoryServiceProcess {
        let listen = try ServiceListenAddress.resolve(
            option: option, service: "inventory", environment: environment,
            fallback: ServiceListenAddress(host: "127.0.0.1", port: 8103))
        let configuration = try InventoryServiceConfiguration.fromEnvironment(environment)
        let resources = try await ServiceProcessResources.open(
            database: .fromEnvironment(service: "inventory", environment: environment, allowingMySQL: true),
            environment: environment, sharedBus: shared, logger: logger)
        return try await resources.closingOnFailure {
            let app = try await InventoryServiceApp.make(
                configuration: configuration, database: resources.database, bus: resources.bus,
                keys: JWKSKeys(url: configuration.jwksURL, logger: logger), logger: logger)
            return InventoryServiceProcess(
                app: app, application: app.application(listen: listen, onServerRunning: onServerRunning),
                resources: resources)
        }
    }

    /// Releases the bus (its own) and the database; call after the application has stopped.
    public func close() async {
        await self.resources.close()
    }
}
