import ArgumentParser

/// `acme service NAME [--listen HOST:PORT]`: one backing service.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one backing service: users (more to come: orders, inventory, notifications)."
    )

    @Argument(help: "The service: users.")
    var name: String

    @Option(
        name: .long,
        help: "Listener, HOST:PORT (default: <SERVICE>_LISTEN, else the service's own, users 127.0.0.1:8101).")
    var listen: String?

    func validate() throws {
        guard self.name == "users" else {
            throw ValidationError("unknown service \"\(self.name)\": expected users")
        }
    }

    func run() async throws {
        try await ServiceRunner.runUsers(listen: self.listen)
    }
}
