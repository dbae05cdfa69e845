import Logging
import NIOPosix
import Redis

/// What a service process (`UserServiceProcess`, `OrderServiceProcess`, ...) opens before it builds its application
/// and releases after the application has stopped: the database, a Redis client when the cache is Redis, and the
/// event bus, its own unless the caller (`acme up`) shares one.
///
/// ```swift
/// let configuration = try OrderServiceConfiguration.fromEnvironment(environment)
/// let resources = try await ServiceProcessResources.open(
///     database: .fromEnvironment(service: "orders", environment: environment), environment: environment,
///     sharedBus: bus, logger: logger)
/// let app = try await resources.closingOnFailure {
///     try await OrderServiceApp.make(
///         configuration: configuration, database: resources.database, bus: resources.bus, logger: logger)
/// }
/// // ... after the application has stopped:
/// await resources.close()
/// ```
public struct ServiceProcessResources: Sendable {
    /// The open database.
    public let database: any SQLDatabase
    /// The Redis client, when the cache is Redis; `nil` for the in-memory cache.
    public let redis: RedisClient?
    /// The bus the service publishes and subscribes on: the shared one, or its own.
    public let bus: any EventBus
    /// The bus the process made for itself, closed with it; `nil` when the caller shared one (and closes it).
    private let ownBus: (any EventBus)?

    /// Reads the event bus from `EVENT_BUS` in `environment`, opens `database`, makes a Redis client when `cache` is
    /// Redis, and takes `sharedBus` or makes the process' own bus.
    ///
    /// - Throws: `ServiceConfigurationError` for a bad `EVENT_BUS`; `SQLError` when the database cannot be opened.
    public static func open(
        database: DatabaseConfiguration, cache: CacheConfiguration = .memory, environment: [String: String],
        sharedBus: (any EventBus)?, logger: Logger
    ) async throws -> ServiceProcessResources {
        let busConfiguration = try EventBusConfiguration.fromEnvironment(environment)
        let opened = try await database.open(logger: logger)
        var redis: RedisClient?
        if case .redis(let configuration) = cache {
            redis = RedisClient(
                configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
        }
        let (bus, ownBus) = busConfiguration.sharedOrOwn(sharedBus, logger: logger)
        return ServiceProcessResources(database: opened, redis: redis, bus: bus, ownBus: ownBus)
    }

    /// Runs `build` (which makes the service's application on these resources) and returns what it returns; when it
    /// throws, closes the resources and rethrows.
    public func closingOnFailure<Result>(_ build: () async throws -> Result) async throws -> Result {
        do {
            return try await build()
        } catch {
            await self.close()
            throw error
        }
    }

    /// Releases the bus (its own), the Redis client and the database, in that order; call after the application has
    /// stopped.
    public func close() async {
        await self.ownBus?.close()
        await self.redis?.close()
        await self.database.close()
    }
}
