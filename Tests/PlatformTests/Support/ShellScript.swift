import Foundation

/// A bash script run to its end, its standard output and standard error together.
struct ShellScript {
    let status: Int32
    let output: String

    /// Runs `script` with `bash` in `directory`, on a thread of its own (it blocks until bash exits).
    static func run(_ script: String, directory: URL) async throws -> ShellScript {
        let log = directory.appendingPathComponent("script-\(UUID().uuidString).log")
        try Data().write(to: log)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        let status = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try output.close()
        return ShellScript(status: status, output: String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }
}
