import Dispatch
import Foundation
import Logging

/// Reloads the gateway's configuration: reads the directory again (off the event loops), validates all of it,
/// compiles it and swaps it in whole (`GatewayRuntimeHolder`), or refuses it with every error and keeps the old one.
///
/// Reloads run one at a time, in the order they were asked for, on a serial queue of their own: a `SIGHUP`, a
/// `POST /reload` and a file change arriving together never interleave, and the configuration read last is the
/// one in force. Each is recorded in `statistics` (for `/status` and `/metrics`) and logged.
public final class ConfigReloader: Sendable {
    /// Where a reload reads the configuration; nil when the gateway was given one in code and has no directory.
    public let source: ConfigLoader?
    public let statistics: ReloadStatistics
    private let runtimes: GatewayRuntimeHolder
    /// The upstreams' health, made to match each configuration put in force.
    private let upstreams: UpstreamRegistry?
    private let logger: Logger
    private let queue = DispatchQueue(label: "acme.gateway.reload")

    public convenience init(source: ConfigLoader?, runtimes: GatewayRuntimeHolder, statistics: ReloadStatistics, logger: Logger) {
        self.init(source: source, runtimes: runtimes, upstreams: nil, statistics: statistics, logger: logger)
    }

    init(
        source: ConfigLoader?,
        runtimes: GatewayRuntimeHolder,
        upstreams: UpstreamRegistry?,
        statistics: ReloadStatistics,
        logger: Logger
    ) {
        self.source = source
        self.runtimes = runtimes
        self.upstreams = upstreams
        self.statistics = statistics
        self.logger = logger
    }

    /// Reads the configuration directory again and puts it in force; what happened, once it is done. Without a
    /// directory, a refusal saying so.
    public func reload(trigger: ReloadRecord.Trigger) async -> ReloadRecord {
        await withCheckedContinuation { continuation in
            self.queue.async {
                continuation.resume(returning: self.reloadFromSource(trigger: trigger))
            }
        }
    }

    /// Returns once the reloads asked for so far are done.
    public func waitForReloads() async {
        await withCheckedContinuation { continuation in
            self.queue.async { continuation.resume() }
        }
    }

    /// Puts `configuration` in force (after the reloads asked for before it), or throws its errors. Blocks the
    /// calling thread until it is done: never call it on an event loop.
    public func apply(_ configuration: GatewayConfiguration) throws {
        let record = self.queue.sync { self.put(configuration, trigger: .api) }
        if record.result == .failure { throw ConfigErrors(record.errors) }
    }

    /// Runs on `queue`.
    private func reloadFromSource(trigger: ReloadRecord.Trigger) -> ReloadRecord {
        guard let source = self.source else {
            let error = ConfigError(
                file: "", path: "",
                message: "the gateway was given its configuration in code: there is no directory to reload")
            return self.finish(trigger: trigger, errors: [error])
        }
        let configuration: GatewayConfiguration
        do {
            configuration = try source.load()
        } catch {
            return self.finish(trigger: trigger, errors: error.errors)
        }
        return self.put(configuration, trigger: trigger)
    }

    /// Runs on `queue`: compiles `configuration` and swaps it in. The upstreams it adds are ready before the first
    /// request can see it; those it drops stop after the swap (or, when it is refused, those it would have added).
    private func put(_ configuration: GatewayConfiguration, trigger: ReloadRecord.Trigger) -> ReloadRecord {
        self.upstreams?.add(configuration)
        defer { self.upstreams?.retain(self.runtimes.current.configuration) }
        do {
            try self.runtimes.replace(with: configuration)
            return self.finish(trigger: trigger, errors: [])
        } catch let errors as ConfigErrors {
            return self.finish(trigger: trigger, errors: errors.errors)
        } catch let error as RouterError {
            return self.finish(
                trigger: trigger,
                errors: [
                    ConfigError(file: error.location.file, path: error.location.path, message: error.reason.message)
                ])
        } catch {
            return self.finish(trigger: trigger, errors: [ConfigError(file: "", path: "", message: "\(error)")])
        }
    }

    private func finish(trigger: ReloadRecord.Trigger, errors: [ConfigError]) -> ReloadRecord {
        let runtime = self.runtimes.current
        let record = ReloadRecord(
            at: Date(),
            trigger: trigger,
            result: errors.isEmpty ? .success : .failure,
            errors: ConfigErrors(errors).errors,
            generation: runtime.generation,
            contentHash: runtime.configuration.contentHash
        )
        self.statistics.record(record)
        if errors.isEmpty {
            self.logger.info(
                "configuration reloaded",
                metadata: [
                    "trigger": "\(trigger.rawValue)", "generation": "\(runtime.generation)",
                    "routes": "\(runtime.configuration.routes.count)",
                    "hash": "\(runtime.configuration.contentHash ?? "")",
                ]
            )
        } else {
            for error in record.errors {
                self.logger.error("reload refused", metadata: ["trigger": "\(trigger.rawValue)", "error": "\(error)"])
            }
        }
        return record
    }
}
