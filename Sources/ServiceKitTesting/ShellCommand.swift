import Foundation

/// A shell command run to its end by a test: its exit status and its standard output and standard error together.
/// The child is started with `posix_spawn` and reaped with `waitpid` on a thread of its own (waiting blocks), not
/// with Foundation's `Process`, whose child was never reaped inside the test process.
public struct ShellCommand: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output and standard error, interleaved as written.
    public let output: String

    /// Runs `command` with `shell -c`, in `directory` when given, until it exits.
    ///
    /// - Throws: `TestSetupError` when the shell cannot be started.
    public static func run(
        _ command: String, shell: String = "/bin/sh", directory: String? = nil
    ) async throws -> ShellCommand {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("acme-shell-\(UInt64.random(in: 0...UInt64.max)).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let inDirectory = directory.map { "cd \(Self.quoted($0)) && " } ?? ""
        let line = "\(inDirectory){\n\(command)\n} >\(Self.quoted(outputPath)) 2>&1 </dev/null"
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Self.spawnAndWait(shell, line) }) }.start()
        }
        return ShellCommand(status: status, output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// `text` as one single-quoted shell word.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `shell -c line` and waits for its exit status (blocking).
    private static func spawnAndWait(_ shell: String, _ line: String) throws -> Int32 {
        let words = [shell, "-c", line]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, shell, nil, nil, arguments, environ)
        guard spawned == 0 else { throw TestSetupError("cannot run \(shell): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestSetupError("waitpid failed: error \(errno)") }
        }
        return (status >> 8) & 0xff
    }
}
