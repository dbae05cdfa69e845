import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The order service as `acme service orders` and `acme up` run it, configured from the environment: PostgreSQL
/// (`ORDERS_DATABASE_URL` or `DATABASE_URL`) or `./data/orders.sqlite`, and the in-process event bus (its own, or
/// the one `acme up` shares between the services). `close()` releases them after the application has stopped.
public final class OrderServiceProcess {
    /// The prepared service.
    public let app: OrderServiceApp
    /// The application to run (a ServiceLifecycle service).
    public let application: Application<RouterResponder<ServiceRequestContext>>
    private let resources: ServiceProcessResources

    private init(
        app: OrderServiceApp, application: Application<RouterResponder<ServiceRequestContext>>,
        resources: ServiceProcessResources
    ) {
        self.app = app
        self.application = application
        self.resources = resources
    }

    /// Opens the database, migrates, and builds the application on `listen` (from `--listen`, else
    /// `ORDERS_LISTEN`, else `127.0.0.1:8102`). `bus` is the shared bus; without one the service makes its own.
    ///
    /// - Throws: `ServiceConfigurationError` for a bad or missing setting; `SQLError` when the database cannot be
    ///   used.
    public static func open(
        listen option: String?, environment: [String: String], bus: (any EventBus)? = nil, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> OrderServiceProcess {
        let listen = try ServiceListenAddress.resolve(
            option: option, service: "orders", environment: environment,
            fallback: ServiceListenAddress(host: "127.0.0.1", port: 8102))
        let configuration = try OrderServiceConfiguration.fromEnvironment(environment)
        let resources = try await ServiceProcessResources.open(
            database: .fromEnvironment(service: "orders", environment: environment), environment: environment,
            sharedBus: bus, logger: logger)
        return try await resources.closingOnFailure {
            let app = try await OrderServiceApp.make(
                configuration: configuration, database: resources.database, bus: resources.bus, logger: logger)
            return OrderServiceProcess(
                app: app, application: app.application(listen: listen, onServerRunning: onServerRunning),
                resources: resources)
        }
    }

    /// Releases the bus (its own) and the database; call after the application has stopped.
    public func close() async {
        await self.resources.close()
    }
}
