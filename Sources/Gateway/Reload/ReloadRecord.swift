import Foundation

/// One configuration reload: when, what asked for it, how it ended, and (refused) every error of the configuration.
public struct ReloadRecord: Sendable {
    /// What asked for the reload.
    public enum Trigger: String, Sendable {
        /// `SIGHUP`.
        case signal
        /// `POST /reload` on the admin API.
        case admin
        /// A change in the configuration directory (`--watch`).
        case watch
        /// A configuration handed to `GatewayServer.reload(_:)` in code.
        case api
    }

    public enum Result: String, Sendable {
        case success
        case failure
    }

    public var at: Date
    public var trigger: Trigger
    public var result: Result
    /// Why the configuration was refused; empty on success.
    public var errors: [ConfigError]
    /// The generation in force afterwards (the old one after a refusal).
    public var generation: Int
    /// The content hash of the configuration in force afterwards.
    public var contentHash: String?
}
