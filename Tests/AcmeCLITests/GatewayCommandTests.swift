import Foundation
import Testing

@Suite struct GatewayCommandTests {
    @Test func refusesAnInvalidConfigurationWithTheMessagesOfConfigCheck() throws {
        let directory = try ConfigDirectory(CLIFixtures.invalidFiles)
        defer { directory.remove() }
        let run = try AcmeProcess.run([
            "gateway", "--config", directory.path, "--proxy-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
        ])
        #expect(run.status != 0)
        #expect(run.standardOutput == "")
        #expect(run.standardError == CLIFixtures.errors.joined(separator: "\n") + "\n")
        let check = try AcmeProcess.run(["config", "check", directory.path])
        #expect(run.standardError == check.standardError)
    }

    @Test(arguments: [
        (["--proxy-listen", "localhost:+80"], #"--proxy-listen: expected HOST:PORT, got "localhost:+80""#),
        (["--admin-listen", "[::1:8001"], #"--admin-listen: expected HOST:PORT, got "[::1:8001""#),
        (["--trusted-ips", "10.0.0.0/33"], #"--trusted-ips: expected an IP address or CIDR block, got "10.0.0.0/33""#),
        (["--threads", "0"], "--threads: expected a positive integer, got 0"),
        (["--dns-resolver", "127.0.0.1:53,dns.example"], #"--dns-resolver: expected IP[:PORT],..., got "dns.example""#),
    ])
    func refusesBadOptionsNamingThem(options: [String], message: String) throws {
        let directory = try ConfigDirectory(CLIFixtures.invalidFiles)
        defer { directory.remove() }
        let run = try AcmeProcess.run(["gateway", "--config", directory.path] + options)
        #expect(run.status != 0)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        // The options are checked before the configuration is loaded.
        #expect(!run.standardError.contains("plugins.json"))
    }
}
