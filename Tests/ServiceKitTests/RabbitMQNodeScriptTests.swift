import Foundation
import ServiceKitTesting
import Testing

/// scripts/rabbitmq-node.sh, which `make test` and the broker tests use for their private nodes.
@Suite(.enabled(if: PrivateRabbitMQNode.testsRun, Comment(rawValue: PrivateRabbitMQNode.missing)))
struct RabbitMQNodeScriptTests {
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/rabbitmq-node.sh").path

    /// When the CLI cannot stop the node, `stop` falls back to signals: to the node's whole process group (the
    /// wrapper script and the Erlang VM under it), not only to the wrapper's pid.
    @Test func stopEndsEveryProcessOfTheNodeWhenTheCLICannotReachIt() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("acme-rabbitmq-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let started = try await Self.run(["start", directory])
        #expect(started.status == 0, "\(started.output)")
        let text = try String(contentsOfFile: directory + "/server.pid", encoding: .utf8)
        let group = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(-group, SIGKILL) }
        #expect(kill(-group, 0) == 0, "the node runs in a process group of its own")

        // No CLI tools where the script looks for them: `rabbitmqctl stop` fails.
        let stopped = try await Self.run(["stop", directory], cliDirectory: directory + "/no-cli")
        #expect(stopped.status == 0, "\(stopped.output)")
        let left = kill(-group, 0)
        let error = errno
        #expect(left == -1 && error == ESRCH, "a process of the node's group is still running")
        #expect(!FileManager.default.fileExists(atPath: directory + "/server.pid"))
    }

    /// Runs the script with `arguments` (with `RABBITMQ_BIN` set when given) until it exits.
    private static func run(_ arguments: [String], cliDirectory: String? = nil) async throws -> ShellCommand {
        let prefix = cliDirectory.map { "RABBITMQ_BIN=\(ShellCommand.quoted($0)) " } ?? ""
        let command = ([Self.script] + arguments).map(ShellCommand.quoted).joined(separator: " ")
        return try await ShellCommand.run(prefix + command)
    }
}
