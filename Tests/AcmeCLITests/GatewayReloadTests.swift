import AsyncHTTPClient
import Foundation
import GatewayTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `acme gateway` reloading its configuration (SIGHUP, `POST /reload`, `--watch`), its status listener, and its
/// refusal to expose the admin API off loopback without `ADMIN_TOKEN`.
@Suite struct GatewayReloadTests {
    private struct Answer: Sendable {
        var status: UInt
        var body: String
    }

    private static func call(
        _ port: Int,
        _ path: String,
        post: Bool = false,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if post { request.method = .POST }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status.code, body: String(buffer: body))
    }

    private static func routes(to upstream: TestDocumentServer) throws -> String {
        let port = try #require(URL(string: upstream.url)?.port)
        return
            #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(port)"}, "routes": [{"name": "echo", "paths": ["/"]}]}"#
    }

    /// Runs `body` with two upstreams answering `{"upstream":"a"}` and `{"upstream":"b"}` and a configuration
    /// directory sending everything to the first.
    private static func withUpstreams(
        _ body: (TestDocumentServer, TestDocumentServer, ConfigDirectory) async throws -> Void
    ) async throws {
        let a = try await TestDocumentServer.start(serving: #"{"upstream":"a"}"#)
        let b = try await TestDocumentServer.start(serving: #"{"upstream":"b"}"#)
        let directory = try ConfigDirectory([
            "plugins.json": #"{"plugins": []}"#, "routes/echo.json": try Self.routes(to: a),
        ])
        defer { directory.remove() }
        do {
            try await body(a, b, directory)
        } catch {
            await a.stop()
            await b.stop()
            throw error
        }
        await a.stop()
        await b.stop()
    }

    /// Polls `port` (every 50 ms, up to 30 s: a hang guard) until it answers `body`; the last answer's body.
    private static func waitForBody(_ body: String, port: Int) async throws -> String {
        var last = ""
        for _ in 0..<600 {
            last = try await Self.call(port, "/x").body
            if last == body { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return last
    }

    private static func write(_ contents: String, to directory: ConfigDirectory, _ name: String) throws {
        try Data(contents.utf8).write(to: directory.url.appendingPathComponent(name), options: .atomic)
    }

    @Test func sighupReloadsTheDirectory() async throws {
        try await Self.withUpstreams { _, b, directory in
            try await withGateways(1, config: directory) { gateways in
                let gateway = gateways[0]
                #expect(try await Self.call(gateway.port, "/x").body == #"{"upstream":"a"}"#)
                try Self.write(try Self.routes(to: b), to: directory, "routes/echo.json")
                gateway.send(SIGHUP)
                #expect(try await Self.waitForBody(#"{"upstream":"b"}"#, port: gateway.port) == #"{"upstream":"b"}"#)
                #expect(try await gateway.waitForLog("configuration reloaded"))
                #expect(gateway.logText.contains("trigger=signal"))
            }
        }
    }

    @Test func postReloadRefusesAnInvalidDirectoryWithItsErrors() async throws {
        try await Self.withUpstreams { _, _, directory in
            try await withGateways(1, config: directory) { gateways in
                let gateway = gateways[0]
                try Self.write(#"{"plugins": [], "extra": 1}"#, to: directory, "plugins.json")
                let refused = try await Self.call(gateway.adminPort, "/reload", post: true)
                #expect(refused.status == 400)
                #expect(
                    refused.body.contains(
                        #"{"file":"plugins.json","message":"unknown field; allowed fields are consumers, plugins","path":"extra"}"#
                    ))
                #expect(try await Self.call(gateway.port, "/x").body == #"{"upstream":"a"}"#)
                #expect(try await gateway.waitForLog("reload refused"))
            }
        }
    }

    @Test func watchReloadsWhenAFileChanges() async throws {
        try await Self.withUpstreams { _, b, directory in
            try await withGateways(1, config: directory, arguments: ["--watch"]) { gateways in
                let gateway = gateways[0]
                #expect(try await Self.call(gateway.port, "/x").body == #"{"upstream":"a"}"#)
                try Self.write(try Self.routes(to: b), to: directory, "routes/echo.json")
                #expect(try await Self.waitForBody(#"{"upstream":"b"}"#, port: gateway.port) == #"{"upstream":"b"}"#)
                #expect(try await gateway.waitForLog("trigger=watch"))
            }
        }
    }

    @Test func theStatusListenerAnswersReadiness() async throws {
        try await Self.withUpstreams { _, _, directory in
            try await withGateways(1, config: directory, arguments: ["--status-listen", "127.0.0.1:0"]) { gateways in
                let port = try #require(gateways[0].statusPort)
                let ready = try await Self.call(port, "/status/ready")
                #expect(ready.status == 200)
                #expect(ready.body == #"{"message":"ready"}"#)
                #expect(try await Self.call(port, "/routes").status == 404)
            }
        }
    }

    @Test(arguments: [["--admin-listen", "0.0.0.0:0"], ["--status-listen", "0.0.0.0:0"]])
    func aListenerOffLoopbackNeedsAdminToken(options: [String]) throws {
        let directory = try ConfigDirectory(["plugins.json": #"{"plugins": []}"#])
        defer { directory.remove() }
        var arguments = [
            "gateway", "--config", directory.path, "--proxy-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
        ]
        arguments += options
        let run = try AcmeProcess.run(arguments, environment: ["ADMIN_TOKEN": nil])
        #expect(run.status != 0)
        let listener = options[0] == "--admin-listen" ? "admin" : "status"
        #expect(
            run.standardError.contains("the \(listener) listener 0.0.0.0:0 is not a loopback address: set ADMIN_TOKEN"),
            "\(run.standardError)")
    }

    @Test func withAdminTokenTheAdminAPIOffLoopbackAsksForIt() async throws {
        try await Self.withUpstreams { _, _, directory in
            let token = ["ADMIN_TOKEN": "cli-test-token"]
            try await withGateways(
                1, config: directory, arguments: ["--admin-listen", "0.0.0.0:0"], environment: token
            ) { gateways in
                let port = gateways[0].adminPort
                #expect(try await Self.call(port, "/status").status == 401)
                let status = try await Self.call(port, "/status", headers: [("Authorization", "Bearer cli-test-token")])
                #expect(status.status == 200)
                #expect(status.body.contains(#""configuration_hash":""#))
            }
        }
    }

    @Test func aBadStatusListenAddressIsNamed() throws {
        let directory = try ConfigDirectory(["plugins.json": #"{"plugins": []}"#])
        defer { directory.remove() }
        let run = try AcmeProcess.run(["gateway", "--config", directory.path, "--status-listen", "status"])
        #expect(run.status != 0)
        #expect(
            run.standardError.contains(#"--status-listen: expected HOST:PORT, got "status""#), "\(run.standardError)")
    }
}
