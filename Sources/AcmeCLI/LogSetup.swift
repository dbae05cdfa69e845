import Foundation
import Gateway
import Logging

enum LogSetup {
    /// Sets up swift-log from `LOG_LEVEL` (default `info`) and `LOG_FORMAT` (`text` or `json`) and returns the
    /// logger for `label`.
    /// Bootstraps once per process, so that `acme up` can set up the gateway's and the services' loggers alike.
    static func bootstrapFromEnvironment(label: String) -> Logger {
        _ = Self.bootstrapped
        return Logger(label: label)
    }

    private static let bootstrapped: Void = {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        let format = environment["LOG_FORMAT"].flatMap { GatewayLogHandler.Format(rawValue: $0.lowercased()) } ?? .text
        LoggingSystem.bootstrap { label in GatewayLogHandler(label: label, format: format, level: level) }
    }()
}
