import Foundation
import Testing

/// The HTTPS listener and client limit options of `acme gateway`, checked on the built binary.
@Suite struct ProxyClientOptionsTests {
    @Test(arguments: [
        (["--proxy-listen-ssl", "127.0.0.1:0"], "--proxy-listen-ssl needs --ssl-cert and --ssl-key"),
        (["--ssl-cert", "cert.pem"], "--ssl-cert and --ssl-key go with --proxy-listen-ssl"),
        (
            ["--proxy-listen-ssl", "nowhere", "--ssl-cert", "a.pem", "--ssl-key", "b.pem"],
            #"--proxy-listen-ssl: expected HOST:PORT, got "nowhere""#
        ),
        (
            ["--client-header-timeout", "10x"],
            #"--client-header-timeout: expected a positive duration (60, 60s, 500ms, 2m), got "10x""#
        ),
        (
            ["--keepalive-timeout", "0"],
            #"--keepalive-timeout: expected a positive duration (60, 60s, 500ms, 2m), got "0""#
        ),
        (["--max-connections", "0"], "--max-connections: expected a positive integer, got 0"),
    ])
    func refusesBadOptionsNamingThem(options: [String], message: String) throws {
        let directory = try ConfigDirectory(CLIFixtures.invalidFiles)
        defer { directory.remove() }
        let run = try AcmeProcess.run(["gateway", "--config", directory.path] + options)
        #expect(run.status != 0)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(!run.standardError.contains("plugins.json"))
    }

    /// The durations parse (the start gets as far as the certificate), and the missing file is named.
    @Test func missingCertificateStopsTheStartNamingTheFile() throws {
        let directory = try ConfigDirectory(["plugins.json": "{}"])
        defer { directory.remove() }
        let run = try AcmeProcess.run([
            "gateway", "--config", directory.path, "--proxy-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
            "--proxy-listen-ssl", "127.0.0.1:0", "--ssl-cert", "/nonexistent/acme-cert.pem",
            "--ssl-key", "/nonexistent/acme-key.pem", "--client-header-timeout", "500ms", "--keepalive-timeout", "2m",
            "--max-connections", "100",
        ])
        #expect(run.status == 1)
        let message = "--ssl-cert /nonexistent/acme-cert.pem: file not found"
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }
}
