import ArgumentParser
import Foundation
import Gateway
import Logging
import NIOCore

/// The options every command that runs the gateway takes.
struct GatewayRunOptions: ParsableArguments {
    @Option(name: .long, help: "Directory holding plugins.json and routes/.")
    var config: String = "."

    @Option(name: .long, help: "Proxy listener, HOST:PORT.")
    var proxyListen: String = "0.0.0.0:8000"

    @Option(name: .long, help: "Admin API listener, HOST:PORT (loopback by default).")
    var adminListen: String = "127.0.0.1:8001"

    @Option(name: .long, help: "Event loop threads (default: one per core).")
    var threads: Int?

    @Option(name: .long, help: "Comma-separated addresses and CIDR blocks whose X-Forwarded-* headers are trusted.")
    var trustedIps: String = ""

    @Option(name: .long, help: "Seconds a stop waits for in-flight requests.")
    var drainTimeout: Int = 30

    @Option(name: .long, help: "Status listener (GET /status, GET /status/ready), HOST:PORT; off by default.")
    var statusListen: String?

    @Flag(name: .long, help: "Reload when a file in the configuration directory changes.")
    var watch = false

    @Option(name: .long, help: "Name servers for upstream target names, IP[:PORT],... (default: /etc/resolv.conf's).")
    var dnsResolver: String?

    @OptionGroup var client: ProxyClientOptions

    /// Checked while parsing, so a bad option is reported with the command's own usage.
    func validate() throws {
        _ = try self.gatewayOptions()
    }

    func gatewayOptions() throws -> GatewayOptions {
        guard let proxy = ListenAddress(parsing: self.proxyListen) else {
            throw ValidationError("--proxy-listen: expected HOST:PORT, got \"\(self.proxyListen)\"")
        }
        guard let admin = ListenAddress(parsing: self.adminListen) else {
            throw ValidationError("--admin-listen: expected HOST:PORT, got \"\(self.adminListen)\"")
        }
        var status: ListenAddress?
        if let statusListen = self.statusListen {
            guard let address = ListenAddress(parsing: statusListen) else {
                throw ValidationError("--status-listen: expected HOST:PORT, got \"\(statusListen)\"")
            }
            status = address
        }
        if let threads = self.threads, threads < 1 {
            throw ValidationError("--threads: expected a positive integer, got \(threads)")
        }
        if self.drainTimeout < 0 {
            throw ValidationError("--drain-timeout: expected seconds, 0 or more, got \(self.drainTimeout)")
        }
        let trusted: TrustedAddresses
        do {
            trusted = try TrustedAddresses(parsing: self.trustedIps)
        } catch {
            throw ValidationError(error.description)
        }
        let nameServers = try self.dnsResolver.map(Self.nameServers)
        let token = ProcessInfo.processInfo.environment["ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var options = GatewayOptions(
            proxyListen: proxy,
            adminListen: admin,
            threads: self.threads ?? ProcessInfo.processInfo.activeProcessorCount,
            trustedAddresses: trusted,
            drainTimeout: .seconds(Int64(self.drainTimeout)),
            dnsResolver: nameServers,
            statusListen: status,
            adminToken: token,
            watchInterval: self.watch ? .seconds(1) : nil
        )
        try self.client.apply(to: &options)
        do {
            try options.checkListenerSecurity()
        } catch {
            throw ValidationError(error.description)
        }
        return options
    }

    /// `--dns-resolver`: Kong's `dns_resolver` list, `IP[:PORT]` entries (port 53 when absent, `[IPv6]:PORT`).
    private static func nameServers(_ text: String) throws -> [SocketAddress] {
        try text.split(separator: ",").map { entry in
            let entry = entry.trimmingCharacters(in: .whitespaces)
            let parsed = ListenAddress(parsing: entry) ?? ListenAddress(host: entry, port: 53)
            let host = entry.hasPrefix("[") && ListenAddress(parsing: entry) == nil ? String(entry.dropFirst().dropLast()) : parsed.host
            guard let address = try? SocketAddress(ipAddress: host, port: parsed.port) else {
                throw ValidationError("--dns-resolver: expected IP[:PORT],..., got \"\(entry)\"")
            }
            return address
        }
    }
}

/// `acme gateway`: the gateway alone.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run the gateway with the configuration in --config."
    )

    @OptionGroup var options: GatewayRunOptions

    func run() async throws {
        try await GatewayRunner.run(self.options)
    }
}

/// `acme up`: the whole platform: the user, order, inventory and notification services (on 127.0.0.1:8101 to 8104,
/// or their `*_LISTEN`) and the gateway with the configuration in `--config` in front of them.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: """
            Run the platform (embedded defaults unless DATABASE_URL, REDIS_URL, EVENT_BUS are set): the user, \
            order, inventory and notification services and the gateway with ./plugins.json and ./routes.
            """
    )

    @OptionGroup var options: GatewayRunOptions

    func run() async throws {
        try await ServiceRunner.runBesideGateway(self.options)
    }
}
