import ArgumentParser
import Foundation
import Gateway
import GatewayPlugins

/// `acme config check [DIR]`: validate a configuration directory and print every error.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the declarative configuration.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate plugins.json and routes/*.json; print every error and exit 1 on any."
        )

        @Argument(help: "Directory holding plugins.json and routes/.")
        var directory: String = "."

        func run() throws {
            let configuration: GatewayConfiguration
            do {
                configuration = try ConfigLoader(directory: self.directory, plugins: BundledPlugins.registry).load()
                _ = try GatewayRuntime(configuration: configuration, plugins: BundledPlugins.registry)
            } catch {
                ConfigReport.printErrors(error)
                throw ExitCode(1)
            }
            print(
                "configuration OK: \(configuration.services.count) services, \(configuration.routes.count) routes, "
                    + "\(configuration.plugins.count) plugins, \(configuration.consumers.count) consumers"
            )
        }
    }
}

/// How configuration errors reach the terminal: one a line on stderr, sorted by file then path.
enum ConfigReport {
    static func printErrors(_ error: Error) {
        let lines: [String]
        if let errors = error as? ConfigErrors {
            lines = errors.errors.map(\.description)
        } else {
            lines = ["\(error)"]
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
