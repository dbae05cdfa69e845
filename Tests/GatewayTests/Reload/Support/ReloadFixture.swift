import Foundation
import GatewayTesting
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import Gateway

/// A configuration directory in the temporary folder whose files a test rewrites; removed by `remove()`.
struct TestConfigDirectory: Sendable {
    let path: String

    init(_ files: [String: String]) throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)").path
        try self.write(files)
    }

    /// Writes each file whole (a new file renamed over the old, so a reader never sees half of one).
    func write(_ files: [String: String]) throws {
        for (name, contents) in files {
            let url = URL(fileURLWithPath: self.path).appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url, options: .atomic)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// The directory's loader, with no environment variables.
    func loader(plugins: PluginRegistry) -> ConfigLoader {
        ConfigLoader(directory: self.path, environment: [:], plugins: plugins)
    }
}

/// Configuration files for the reload tests.
enum ReloadFiles {
    static let noPlugins = #"{"plugins": []}"#

    /// `routes/echo.json`: service `echo` to `port`, its route `echo` on `/` (or the routes given).
    static func echo(port: Int, routes: String = #"[{"name": "echo", "paths": ["/"]}]"#) -> String {
        #"{"service": {"name": "echo", "url": "http://127.0.0.1:\#(port)"}, "routes": \#(routes)}"#
    }

    /// A directory whose only service sends everything to `upstream`.
    static func directory(to upstream: TestDocumentServer) throws -> TestConfigDirectory {
        try TestConfigDirectory(["plugins.json": Self.noPlugins, "routes/echo.json": Self.echo(port: upstream.port)])
    }
}

extension TestDocumentServer {
    var port: Int { URL(string: self.url)!.port! }
}

/// Two upstreams answering different documents, `{"upstream":"a"}` and `{"upstream":"b"}`, stopped after `body`.
func withTwoUpstreams<Result>(_ body: (TestDocumentServer, TestDocumentServer) async throws -> Result) async throws
    -> Result
{
    let a = try await TestDocumentServer.start(serving: #"{"upstream":"a"}"#)
    let b = try await TestDocumentServer.start(serving: #"{"upstream":"b"}"#)
    do {
        let result = try await body(a, b)
        await a.stop()
        await b.stop()
        return result
    } catch {
        await a.stop()
        await b.stop()
        throw error
    }
}

extension GatewayFixture {
    /// A new keep-alive client of the admin listener.
    func adminClient() async throws -> HTTPTestClient {
        try await HTTPTestClient.connect(port: self.server.adminAddress.port!, group: self.clients)
    }

    /// Sends one request to the admin listener on a new connection.
    func admin(_ method: HTTPMethod, _ path: String) async throws -> TestResponse {
        let client = try await self.adminClient()
        do {
            let response = try await client.request(method, path)
            await client.close()
            return response
        } catch {
            await client.close()
            throw error
        }
    }
}

/// Runs `body` with a gateway serving `directory` (loaded now) and reloading from it; `adjust` changes the test
/// options (loopback listeners on free ports, one thread).
func withReloadingGateway<Result>(
    _ directory: TestConfigDirectory,
    plugins: PluginRegistry = PluginRegistry([]),
    adjust: (inout GatewayOptions) -> Void = { _ in },
    _ body: (GatewayFixture) async throws -> Result
) async throws -> Result {
    var logger = Logger(label: "reload-tests")
    logger.logLevel = .critical
    var options = GatewayOptions(
        proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
        adminListen: ListenAddress(host: "127.0.0.1", port: 0),
        threads: 1,
        drainTimeout: .milliseconds(200)
    )
    adjust(&options)
    let source = directory.loader(plugins: plugins)
    let server = try await GatewayServer.start(
        configuration: try source.load(),
        plugins: plugins,
        options: options,
        source: source,
        logger: logger
    )
    return try await withRunning(server, body)
}
