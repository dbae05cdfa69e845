import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The user service as `acme service users` and `acme up` run it, configured from the environment: PostgreSQL
/// (`USERS_DATABASE_URL` or `DATABASE_URL`) or `./data/users.sqlite`, Redis (`REDIS_URL`) or memory, the event bus
/// from `EVENT_BUS` (in-process, or RabbitMQ). `close()` releases them after the application has stopped.
public final class UserServiceProcess {
    /// The prepared service.
    public let app: UserServiceApp
    /// The application to run (a ServiceLifecycle service).
    public let application: Application<RouterResponder<ServiceRequestContext>>
    private let resources: ServiceProcessResources

    private init(
        app: UserServiceApp, application: Application<RouterResponder<ServiceRequestContext>>,
        resources: ServiceProcessResources
    ) {
        self.app = app
        self.application = application
        self.resources = resources
    }

    /// Opens the database and cache, migrates, and builds the application on `listen` (from `--listen`, else
    /// `USERS_LISTEN`, else `127.0.0.1:8101`). `bus` is the bus `acme up` shares between the services; without one
    /// the service makes its own.
    ///
    /// - Throws: `ServiceConfigurationError` for a bad setting; `SQLError` when the database cannot be used.
    public static func open(
        listen option: String?, environment: [String: String], bus: (any EventBus)? = nil, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> UserServiceProcess {
        let listen = try ServiceListenAddress.resolve(
            option: option, service: "users", environment: environment,
            fallback: ServiceListenAddress(host: "127.0.0.1", port: 8101))
        let databaseConfiguration = DatabaseConfiguration.fromEnvironment(service: "users", environment: environment)
        let configuration = try UserServiceConfiguration.fromEnvironment(environment, database: databaseConfiguration)
        let resources = try await ServiceProcessResources.open(
            database: databaseConfiguration, cache: try CacheConfiguration.fromEnvironment(environment),
            environment: environment, sharedBus: bus, logger: logger)
        let sessions: any SessionStore = resources.redis.map { RedisSessionStore(client: $0) } ?? MemorySessionStore()
        return try await resources.closingOnFailure {
            let app = try await UserServiceApp.make(
                configuration: configuration, database: resources.database, sessions: sessions, bus: resources.bus,
                logger: logger)
            return UserServiceProcess(
                app: app, application: app.application(listen: listen, onServerRunning: onServerRunning),
                resources: resources)
        }
    }

    /// The store alone, for the command line's administration (`acme users client create`, `keys rotate`):
    /// opened from the environment and migrated; close the database afterwards.
    public static func openStore(environment: [String: String], logger: Logger) async throws -> (
        SQLUserStore, any SQLDatabase
    ) {
        let database = try await DatabaseConfiguration.fromEnvironment(service: "users", environment: environment)
            .open(logger: logger)
        let store = SQLUserStore(database: database)
        do {
            try await store.migrate()
        } catch {
            await database.close()
            throw error
        }
        return (store, database)
    }

    /// Releases the bus (its own), the cache and the database; call after the application has stopped.
    public func close() async {
        await self.resources.close()
    }
}
