import Foundation
import ServiceKit

/// A RabbitMQ node of a test's own (scripts/rabbitmq-node.sh: loopback, free ports, its own node name and data in
/// a temporary folder), for tests that stop and restart the broker. `stop()` stops it and removes its folder.
public struct PrivateRabbitMQNode: Sendable {
    /// Where it listens, as `amqp://guest:guest@127.0.0.1:PORT/`.
    public let url: String
    private let directory: String

    /// Whether `rabbitmq-server` is installed.
    public static let isInstalled = FileManager.default.isExecutableFile(
        atPath: "/usr/lib/rabbitmq/bin/rabbitmq-server")
    /// Whether the tests that start their own node run: the server is installed, or CI requires it.
    public static let testsRun = isInstalled || ServiceTestEnvironment.isCI
    /// Why they were skipped.
    public static let missing = "rabbitmq-server is not installed: run `make test-packages` for the broker tests"

    /// Starts a new node; returns once it accepts connections.
    ///
    /// - Throws: `TestSetupError` with the script's output when the node does not start.
    public static func start() async throws -> PrivateRabbitMQNode {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("acme-rabbitmq-\(UInt64.random(in: 0...UInt64.max))").path
        let output = try await Self.script("start", directory)
        let url = String(output.split(separator: "\n").last ?? "")
        return PrivateRabbitMQNode(url: url, directory: directory)
    }

    /// The node's address as the bus takes it.
    public func configuration() throws -> AMQPConfiguration {
        try AMQPConfiguration(url: self.url)
    }

    /// Stops the node and starts it again on the same ports and data (durable queues and persistent messages
    /// survive); returns once it accepts connections again.
    public func restart() async throws {
        _ = try await Self.script("stop", self.directory)
        _ = try await Self.script("start", self.directory)
    }

    /// Stops the node and removes its folder.
    public func stop() async {
        _ = try? await Self.script("stop", self.directory)
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// scripts/rabbitmq-node.sh in this repository.
    private static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/rabbitmq-node.sh").path

    /// Runs the script with `arguments` (it takes seconds) and returns its output.
    private static func script(_ arguments: String...) async throws -> String {
        let command = ([Self.scriptPath] + arguments).map(ShellCommand.quoted).joined(separator: " ")
        let run = try await ShellCommand.run(command)
        let text = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard run.status == 0 else {
            throw TestSetupError("rabbitmq-node.sh \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }
}
