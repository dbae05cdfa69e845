import Logging
import NIOCore
import Redis

/// Where a service keeps what it caches: Redis when `REDIS_URL` is set, this process' memory otherwise.
public enum CacheConfiguration: Sendable {
    /// Redis, through the `Redis` module's client.
    case redis(RedisConfiguration)
    /// Memory: lost on restart and not shared between processes, which suits the embedded default.
    case memory

    /// The configuration from `REDIS_URL`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `REDIS_URL` when it is not a Redis URL.
    public static func fromEnvironment(_ environment: [String: String]) throws -> CacheConfiguration {
        guard let url = environment["REDIS_URL"], !url.isEmpty else { return .memory }
        do {
            return .redis(try RedisConfiguration(url: url))
        } catch {
            throw ServiceConfigurationError("REDIS_URL: \(error)")
        }
    }
}
