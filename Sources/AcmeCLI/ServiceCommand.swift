import ArgumentParser

/// `acme service NAME [--listen HOST:PORT]`: one backing service.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one backing service: users or inventory (more to come: orders, notifications)."
    )

    /// The services this command runs.
    static let names = ["users", "inventory"]

    @Argument(help: "The service: users or inventory.")
    var name: String

    @Option(
        name: .long,
        help: """
            Listener, HOST:PORT (default: <SERVICE>_LISTEN, else the service's own: users 127.0.0.1:8101, \
            inventory 127.0.0.1:8103).
            """)
    var listen: String?

    func validate() throws {
        guard Self.names.contains(self.name) else {
            throw ValidationError("unknown service \"\(self.name)\": expected \(Self.names.joined(separator: " or "))")
        }
    }

    func run() async throws {
        switch self.name {
        case "inventory": try await ServiceRunner.runInventory(listen: self.listen)
        default: try await ServiceRunner.runUsers(listen: self.listen)
        }
    }
}
