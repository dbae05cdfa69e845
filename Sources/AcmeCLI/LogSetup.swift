import Foundation
import Gateway
import Logging

enum LogSetup {
    /// Sets up swift-log from `LOG_LEVEL` (default `info`) and `LOG_FORMAT` (`text` or `json`) and returns the
    /// logger for `label`.
    static func bootstrapFromEnvironment(label: String) -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        let format = environment["LOG_FORMAT"].flatMap { GatewayLogHandler.Format(rawValue: $0.lowercased()) } ?? .text
        LoggingSystem.bootstrap { label in GatewayLogHandler(label: label, format: format, level: level) }
        return Logger(label: label)
    }
}
