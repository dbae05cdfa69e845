import ArgumentParser
import Gateway
import GatewayPlugins

/// `acme routes [DIR]`: the compiled routing table, in the order the router tries routes.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Print the compiled routing table in priority order."
    )

    @Argument(help: "Directory holding plugins.json and routes/.")
    var directory: String = "."

    func run() throws {
        let runtime: GatewayRuntime
        do {
            runtime = try GatewayRuntime(
                configuration: try ConfigLoader(directory: self.directory, plugins: BundledPlugins.registry).load(),
                plugins: BundledPlugins.registry
            )
        } catch {
            ConfigReport.printErrors(error)
            throw ExitCode(1)
        }
        var rows = [["#", "ROUTE", "SERVICE", "METHODS", "HOSTS", "PATHS", "HEADERS", "STRIP", "UPSTREAM", "PLUGINS"]]
        for (index, (route, compiled)) in runtime.routesInPriorityOrder.enumerated() {
            let chain = compiled.entries.map(\.name)
            let service = runtime.configuration.services.first { $0.name == route.serviceName }
            let upstream = service.map { $0.upstream.targets.map(\.description).joined(separator: ",") + $0.upstream.path } ?? "-"
            rows.append([
                String(index + 1),
                route.name,
                route.serviceName,
                route.methods.isEmpty ? "*" : route.methods.joined(separator: ","),
                route.hosts.isEmpty ? "*" : route.hosts.joined(separator: ","),
                route.paths.isEmpty ? "*" : route.paths.map(\.description).joined(separator: ","),
                route.headers.isEmpty ? "-" : route.headers.keys.sorted().map { "\($0)=\(route.headers[$0]!.joined(separator: "|"))" }.joined(separator: ","),
                route.stripPath ? "yes" : "no",
                upstream,
                chain.isEmpty ? "-" : chain.joined(separator: ","),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { $0.element.padding(toLength: widths[$0.offset]) }
            print(String(cells.joined(separator: "  ").reversed().drop { $0 == " " }.reversed()))
        }
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        self + String(repeating: " ", count: max(0, length - self.count))
    }
}
