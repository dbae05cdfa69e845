#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import Gateway

/// Builds configuration values for the proxy tests.
enum TestConfig {
    static let location = ConfigLocation(file: "routes/test.json", path: "service")

    static func route(
        _ name: String,
        service: String = "echo",
        paths: [String],
        stripPath: Bool = true,
        preserveHost: Bool = false
    ) -> Route {
        Route(
            name: name,
            serviceName: service,
            paths: paths.map { .prefix($0) },
            stripPath: stripPath,
            preserveHost: preserveHost,
            location: Self.location
        )
    }

    static func service(
        _ name: String = "echo",
        targets: [Target],
        path: String = "",
        readTimeout: Int = 10_000,
        writeTimeout: Int = 10_000,
        connectTimeout: Int = 2_000,
        retries: Int = 5,
        routes: [Route]
    ) -> Service {
        Service(
            name: name,
            upstream: Upstream(targets: targets, path: path),
            connectTimeout: connectTimeout,
            readTimeout: readTimeout,
            writeTimeout: writeTimeout,
            retries: retries,
            routes: routes,
            location: Self.location
        )
    }

    /// One service `echo` to the upstream's port, routed from `/echo` (path stripped) and `/keep` (kept).
    static func echo(port: Int, path: String = "", readTimeout: Int = 10_000, preserveHost: Bool = false) -> GatewayConfiguration {
        GatewayConfiguration(services: [
            Self.service(
                targets: [Target(host: "127.0.0.1", port: port)],
                path: path,
                readTimeout: readTimeout,
                routes: [
                    Self.route("stripped", paths: ["/echo"], preserveHost: preserveHost),
                    Self.route("kept", paths: ["/keep"], stripPath: false, preserveHost: preserveHost),
                ]
            )
        ])
    }
}

/// A port on 127.0.0.1 that refuses connections until `close()`: bound but never listening, so no other test
/// (running in parallel) can be given it, as could happen to a port that was bound and closed again.
final class RefusingPort: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        precondition(descriptor >= 0, "socket() failed")
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        let bound = address.withSockAddr { pointer, length in bind(descriptor, pointer, socklen_t(length)) }
        precondition(bound == 0, "bind() failed")
        var storage = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        precondition(named == 0, "getsockname() failed")
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: storage.sin_port))
    }

    /// Frees the port; call once, when the test is done with it.
    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(self.descriptor)
        #else
        _ = Darwin.close(self.descriptor)
        #endif
    }
}

/// A running gateway and an event loop group for the test's clients.
struct GatewayFixture: Sendable {
    let server: GatewayServer
    let clients: MultiThreadedEventLoopGroup

    var port: Int { self.server.proxyAddress.port! }
    /// The HTTPS listener's port, when the gateway has one.
    var tlsPort: Int? { self.server.proxyTLSAddress?.port }

    func httpClient() async throws -> HTTPTestClient {
        try await HTTPTestClient.connect(port: self.port, group: self.clients)
    }

    func rawClient(reading: Bool = true) async throws -> RawTCPClient {
        try await RawTCPClient.connect(port: self.port, group: self.clients, reading: reading)
    }

    /// Sends one request on a new connection and closes it.
    func request(
        _ method: HTTPMethod = .GET,
        _ uri: String,
        headers: [(String, String)] = [],
        body: [ByteBuffer] = []
    ) async throws -> TestResponse {
        let client = try await self.httpClient()
        do {
            let response = try await client.request(method, uri, headers: headers, body: body)
            await client.close()
            return response
        } catch {
            await client.close()
            throw error
        }
    }

    /// Sends exact bytes on a new connection and reads until the gateway closes it (or `timeout`).
    func raw(_ text: String, timeout: TimeAmount = .seconds(10)) async throws -> RawReceived {
        let client = try await self.rawClient()
        do {
            try await client.send(text)
            let received = try await client.readUntilClose(timeout: timeout)
            await client.close()
            return received
        } catch {
            await client.close()
            throw error
        }
    }
}

/// The logger of the gateways the tests start: critical messages only.
let gatewayTestLogger: Logger = {
    var logger = Logger(label: "gateway-tests")
    logger.logLevel = .critical
    return logger
}()

/// Runs `body` with a gateway serving `configuration`, stopped afterwards.
func withGateway<Result>(
    _ configuration: GatewayConfiguration,
    plugins: PluginRegistry = PluginRegistry([]),
    trusted: TrustedAddresses = .none,
    drainTimeout: TimeAmount = .milliseconds(200),
    dnsResolver: [SocketAddress]? = nil,
    proxyListenTLS: ProxyTLSListen? = nil,
    clientLimits: ClientLimits = ClientLimits(),
    _ body: (GatewayFixture) async throws -> Result
) async throws -> Result {
    let options = GatewayOptions(
        proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
        adminListen: ListenAddress(host: "127.0.0.1", port: 0),
        threads: 1,
        trustedAddresses: trusted,
        drainTimeout: drainTimeout,
        dnsResolver: dnsResolver,
        proxyListenTLS: proxyListenTLS,
        clientLimits: clientLimits
    )
    let server = try await GatewayServer.start(
        configuration: configuration,
        plugins: plugins,
        options: options,
        logger: gatewayTestLogger
    )
    return try await withRunning(server, body)
}

/// Runs `body` with `server` and an event loop group for the test's clients; stops both afterwards.
func withRunning<Result>(_ server: GatewayServer, _ body: (GatewayFixture) async throws -> Result) async throws -> Result {
    let clients = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let fixture = GatewayFixture(server: server, clients: clients)
    do {
        let result = try await body(fixture)
        await server.shutdown()
        try? await clients.shutdownGracefully()
        return result
    } catch {
        await server.shutdown()
        try? await clients.shutdownGracefully()
        throw error
    }
}
