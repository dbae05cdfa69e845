import Foundation
import Testing

/// `acme service NAME --listen 127.0.0.1:0` running as a separate process in `directory`, its output in a log
/// file; `port` is read from its `listening on` line.
final class ServiceProcess {
    let port: Int
    let process: Process
    let log: URL

    /// Starts the service and waits (at most a minute) until it listens.
    init(_ name: String, directory: URL, environment changes: [String: String?]) async throws {
        let log = directory.appendingPathComponent("\(name).log")
        try Data().write(to: log)
        let process = Process()
        process.executableURL = try AcmeProcess.binary()
        process.arguments = ["service", name, "--listen", "127.0.0.1:0"]
        var environment = ProcessInfo.processInfo.environment
        for (variable, value) in changes { environment[variable] = value }
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var port: Int?
        for _ in 0..<600 where port == nil && process.isRunning {
            let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!)
            }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
            throw ServiceProcessError(description: "acme service \(name) did not start: \(text)")
        }
        self.port = port
        self.process = process
        self.log = log
    }

    /// Stops it as an operator's Ctrl-C would, and returns its exit status.
    func interrupt() -> Int32 {
        self.process.interrupt()
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    deinit {
        if self.process.isRunning { self.process.terminate() }
    }
}

struct ServiceProcessError: Error, CustomStringConvertible {
    let description: String
}
