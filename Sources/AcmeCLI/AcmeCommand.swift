import ArgumentParser
import Gateway

/// `acme`: the Acme Platform's command line.
@main
struct AcmeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acme",
        abstract: "Acme Platform: an API gateway with compiled-in plugins, and its backing services.",
        version: GatewayVersion.string,
        subcommands: [
            UpCommand.self, GatewayCommand.self, ServiceCommand.self, UsersCommand.self, ConfigCommand.self,
            RoutesCommand.self,
        ]
    )
}
