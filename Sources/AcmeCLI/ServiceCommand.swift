import ArgumentParser

/// `acme service NAME [--listen HOST:PORT]`: one backing service.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Run one backing service: users, orders, inventory or notifications."
    )

    /// The services this command runs.
    static let names = ["users", "orders", "inventory", "notifications"]

    @Argument(help: "The service: users, orders, inventory or notifications.")
    var name: String

    @Option(
        name: .long,
        help: """
            Listener, HOST:PORT (default: <SERVICE>_LISTEN, else the service's own: users 127.0.0.1:8101, \
            orders 127.0.0.1:8102, inventory 127.0.0.1:8103, notifications 127.0.0.1:8104).
            """)
    var listen: String?

    func validate() throws {
        guard Self.names.contains(self.name) else {
            let expected = Self.names.dropLast().joined(separator: ", ") + " or " + (Self.names.last ?? "")
            throw ValidationError("unknown service \"\(self.name)\": expected \(expected)")
        }
    }

    func run() async throws {
        switch self.name {
        case "orders": try await ServiceRunner.runOrders(listen: self.listen)
        case "inventory": try await ServiceRunner.runInventory(listen: self.listen)
        case "notifications": try await ServiceRunner.runNotifications(listen: self.listen)
        default: try await ServiceRunner.runUsers(listen: self.listen)
        }
    }
}
