import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A redis-server of the test's own, never the shared one: it listens only on a Unix socket in a fresh temporary
/// directory (so no port can clash), keeps nothing on disk, and is stopped and removed by `remove()`.
final class PrivateRedisServer {
    let directory: URL
    private let process = Process()

    var socketPath: String { self.directory.appendingPathComponent("redis.sock").path }
    /// The URL of `socketPath`, for `redis_url`.
    var url: String { "unix://\(self.socketPath)" }

    /// The path of `redis-server` when it is installed (`make test-packages` installs it).
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/redis-server" }.first { access($0, X_OK) == 0 }
    }()

    /// Whether tests that need a private server run: redis-server is installed, or CI requires it.
    static let testsRun = executable != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Starts the server and waits until it accepts connections.
    init() async throws {
        guard let executable = Self.executable else { throw GatewayProcessError(message: "redis-server is not on the PATH") }
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("acme-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let log = self.directory.appendingPathComponent("redis.log").path
        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = [
            "--port", "0", "--unixsocket", self.socketPath, "--save", "", "--appendonly", "no",
            "--dir", self.directory.path, "--logfile", log,
        ]
        self.process.standardInput = FileHandle.nullDevice
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        do {
            try self.process.run()
            for _ in 0..<400 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.lowercased().contains("ready to accept connections") { return }
                guard self.process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw GatewayProcessError(message: "redis-server did not start:\n\(text)")
        } catch {
            await self.remove()
            throw error
        }
    }

    /// What `redis-cli` answers to `arguments` on this server.
    func cli(_ arguments: String...) throws -> String {
        let cli = Process()
        cli.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cli.arguments = ["redis-cli", "-s", self.socketPath] + arguments
        let output = Pipe()
        cli.standardOutput = output
        cli.standardError = FileHandle.nullDevice
        try cli.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        cli.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Stops the server (`SHUTDOWN NOSAVE`: the test process's blocked signals are blocked in its children too, so
    /// SIGTERM may never arrive; SIGKILL after 5 s) and waits until it has exited.
    func stop() async {
        guard self.process.isRunning else { return }
        _ = try? self.cli("shutdown", "nosave")
        for _ in 0..<100 where self.process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
    }

    /// Stops the server and removes its directory.
    func remove() async {
        await self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }
}
