import Foundation
import NIOConcurrencyHelpers
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `acme gateway` running as a separate process, as in production: on loopback ports it picks itself, until `stop()`.
final class GatewayProcess {
    /// The port the proxy listens on, read from the gateway's `gateway started` log line.
    let port: Int
    /// The admin listener's port, from the same line.
    let adminPort: Int
    /// The status listener's port, when `--status-listen` was given.
    let statusPort: Int?
    private let process: Process
    private let log: NIOLockedValueBox<String>

    /// Starts `acme gateway --config directory` (and `arguments`) with `environment` added to the test's and waits
    /// until it listens.
    init(config directory: ConfigDirectory, arguments: [String] = [], environment: [String: String] = [:]) async throws {
        let process = Process()
        process.executableURL = try AcmeProcess.binary()
        process.arguments = [
            "gateway", "--config", directory.path, "--proxy-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
            "--threads", "2", "--drain-timeout", "1",
        ] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LOG_FORMAT": "text"]) { $1 }
            .merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let standardError = Pipe()
        process.standardError = standardError
        let log = NIOLockedValueBox("")
        standardError.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                log.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
        try process.run()
        self.process = process
        self.log = log
        let ports = try await Self.ports(process: process, log: log)
        self.port = try #require(ports["proxy"])
        self.adminPort = try #require(ports["admin"])
        self.statusPort = ports["status"]
    }

    /// Everything the gateway logged so far.
    var logText: String { self.log.withLockedValue { $0 } }

    /// Sends `signal` (SIGHUP, say) to the gateway.
    func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Whether the gateway logs `text` within 5 s.
    func waitForLog(_ text: String) async throws -> Bool {
        for _ in 0..<100 {
            if self.log.withLockedValue({ $0.contains(text) }) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Stops the gateway as an operator would (SIGTERM), and kills it if it does not exit within 10 s.
    func stop() async {
        guard self.process.isRunning else { return }
        self.process.terminate()
        for _ in 0..<200 where self.process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    /// Waits (up to 30 s) for `gateway started ... proxy=127.0.0.1:PORT admin=127.0.0.1:PORT`, and returns the
    /// ports by listener (`proxy`, `admin`, `status`).
    private static func ports(process: Process, log: NIOLockedValueBox<String>) async throws -> [String: Int] {
        for _ in 0..<600 {
            let text = log.withLockedValue { $0 }
            if let line = text.split(separator: "\n").first(where: { $0.contains("gateway started") }) {
                var ports: [String: Int] = [:]
                for field in line.split(separator: " ") {
                    guard let equals = field.firstIndex(of: "="), let port = field.split(separator: ":").last.flatMap({ Int($0) })
                    else { continue }
                    ports[String(field[..<equals])] = port
                }
                return ports
            }
            guard process.isRunning else {
                throw GatewayProcessError(message: "acme gateway exited with status \(process.terminationStatus):\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw GatewayProcessError(message: "acme gateway did not start within 30 s:\n\(log.withLockedValue { $0 })")
    }
}

struct GatewayProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}

/// Runs `body` with gateways started from `directory`, and stops them afterwards.
func withGateways<Result>(
    _ count: Int,
    config directory: ConfigDirectory,
    arguments: [String] = [],
    environment: [String: String] = [:],
    _ body: ([GatewayProcess]) async throws -> Result
) async throws -> Result {
    var gateways: [GatewayProcess] = []
    do {
        for _ in 0..<count {
            gateways.append(try await GatewayProcess(config: directory, arguments: arguments, environment: environment))
        }
        let result = try await body(gateways)
        for gateway in gateways { await gateway.stop() }
        return result
    } catch {
        for gateway in gateways { await gateway.stop() }
        throw error
    }
}
