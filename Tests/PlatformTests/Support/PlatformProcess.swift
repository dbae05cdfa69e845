import Foundation
import ServiceKitTesting
import Testing

/// `acme up` as a user runs it, as a child process: in a new temporary working directory holding a copy of the
/// repository's `plugins.json` and `routes/`, the gateway, its admin API and the four services each on a free
/// loopback port, standard output and standard error in `log`. `stop()` interrupts it (as Ctrl-C does) and returns
/// its exit status; `remove()` deletes the directory.
final class PlatformProcess {
    /// The gateway's proxy listener, `http://127.0.0.1:PORT`.
    let gateway: String
    /// The working directory (`./data` is under it).
    let directory: URL
    /// Standard output and standard error.
    let log: URL
    private let process: Process

    /// The package's root directory: this file is `Tests/PlatformTests/Support/PlatformProcess.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Starts `acme up` with this process' environment changed by `changes` (`nil` removes a variable) and the
    /// configuration's `files` (such as `routes/orders.json`) replaced, and waits (at most two minutes) until it has
    /// printed its walkthrough.
    init(environment changes: [String: String?] = [:], files: [String: String] = [:]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("acme-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in ["plugins.json", "routes"] {
            try FileManager.default.copyItem(
                at: Self.packageRoot.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
        for (file, contents) in files {
            try Data(contents.utf8).write(to: directory.appendingPathComponent(file))
        }
        let ports = try (0..<6).map { _ in try unusedLoopbackPort() }
        var environment = ProcessInfo.processInfo.environment
        // What the test servers' environment sets for other suites is not the platform's.
        for name in environment.keys
        where name.hasSuffix("_DATABASE_URL") || name.hasSuffix("_CLIENT_ID") || name.hasSuffix("_CLIENT_SECRET") {
            environment[name] = nil
        }
        for name in ["DATABASE_URL", "REDIS_URL", "EVENT_BUS", "MYSQL_URL", "AMQP_URL", "SMTP_URL", "TEMPLATES_DIR"] {
            environment[name] = nil
        }
        for (index, service) in ["USERS", "ORDERS", "INVENTORY", "NOTIFICATIONS"].enumerated() {
            environment["\(service)_LISTEN"] = "127.0.0.1:\(ports[index])"
            environment["\(service)_URL"] = "http://127.0.0.1:\(ports[index])"
        }
        environment["USERS_ISSUER"] = "http://127.0.0.1:\(ports[0])"
        environment["LOG_FORMAT"] = "text"
        for (name, value) in changes { environment[name] = value }
        let log = directory.appendingPathComponent("up.log")
        try Data().write(to: log)
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = [
            "up", "--config", ".", "--proxy-listen", "127.0.0.1:\(ports[4])", "--admin-listen",
            "127.0.0.1:\(ports[5])", "--threads", "1",
        ]
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        // One handle for both, so that neither writes over the other.
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.gateway = "http://127.0.0.1:\(ports[4])"
        self.directory = directory
        self.log = log
        self.process = process
        var started = false
        for _ in 0..<1200 where !started && process.isRunning {
            started = try self.output().contains("Try it through the gateway")
            if !started { try await Task.sleep(for: .milliseconds(100)) }
        }
        if !started {
            if process.isRunning { process.terminate() }
            throw TestSetupError("acme up did not start: \(try self.output())")
        }
    }

    /// What it has written so far.
    func output() throws -> String {
        String(decoding: try Data(contentsOf: self.log), as: UTF8.self)
    }

    /// Interrupts it and waits until it has exited; its exit status.
    func stop() -> Int32 {
        if self.process.isRunning { self.process.interrupt() }
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    /// Stops it when still running, and deletes the working directory.
    func remove() {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The `acme` binary that `swift build` built beside the test bundle, else `.build/debug/acme`.
    private static func binary() throws -> URL {
        var folders = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map {
            $0.bundleURL.deletingLastPathComponent()
        }
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Self.packageRoot.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent("acme") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestSetupError("no acme binary at \(candidates.map(\.path)); run swift build --build-tests")
        }
        return found
    }
}
