import ArgumentParser
import Dispatch
import Foundation
import Gateway
import GatewayPlugins
import Logging

/// Loads the configuration, runs the gateway, reloads on SIGHUP (and `POST /reload`, and file changes with
/// `--watch`) and stops gracefully on SIGTERM or SIGINT, or when `stopEarly` returns (`acme up`: when the services
/// beside it have stopped). `started` runs once the gateway listens.
enum GatewayRunner {
    static func run(
        _ options: GatewayRunOptions, stopEarly: (@Sendable () async -> Void)? = nil,
        started: (GatewayServer) async -> Void = { _ in }
    ) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.gateway")
        defer { LogLineWriter.standardError.flush() }
        let gatewayOptions = try options.gatewayOptions()
        let source = ConfigLoader(directory: options.config, plugins: BundledPlugins.registry)
        let configuration: GatewayConfiguration
        do {
            configuration = try source.load()
        } catch {
            ConfigReport.printErrors(error)
            throw ExitCode(1)
        }
        let server = try await GatewayServer.start(
            configuration: configuration,
            plugins: BundledPlugins.registry,
            options: gatewayOptions,
            source: source,
            logger: logger
        )
        await started(server)
        let stop = SignalWaiter(signals: [SIGTERM, SIGINT])
        // The reloader logs the outcome, and runs reloads one at a time.
        let reload = SignalWaiter(signals: [SIGHUP]) {
            Task { _ = await server.reload(trigger: .signal) }
        }
        let signals = stop.signals
        await withTaskGroup(of: Void.self) { race in
            race.addTask {
                for await _ in signals { return }
            }
            if let stopEarly { race.addTask { await stopEarly() } }
            await race.next()
            race.cancelAll()
        }
        reload.cancel()
        await server.shutdown()
    }
}

/// Waits for one of a set of signals, or runs an action each time one arrives.
final class SignalWaiter {
    private let sources: [DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

    /// The signals as they arrive (when no action was given).
    var signals: AsyncStream<Int32> { self.stream }

    init(signals: [Int32], onSignal: (@Sendable () -> Void)? = nil) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if let onSignal { onSignal() } else { continuation.yield(number) }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in self.sources { source.cancel() }
    }
}
