import AsyncHTTPClient
import Foundation
import Gateway
import GatewayPlugins
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit
import ServiceKitTesting
import ServiceLifecycle
import Testing
import UserService

/// End to end: the user service and an upstream that echoes its request headers run on loopback, and the gateway
/// serves this repository's `plugins.json` and `routes/users.json` (pointed at them through `USERS_URL` and
/// `USERS_ISSUER`) plus an `/api/echo` route behind the jwt plugin with the user service's `jwks_url`.
@Suite struct UserServiceThroughGatewayTests {
    static let issuer = "http://users.platform.test"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: TestDatabase.kinds)
    func aTokenFromTheUserServicePassesTheGatewaysJWTPlugin(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            var configuration = UserServiceConfiguration()
            configuration.issuer = Self.issuer
            configuration.passwordCost = .testing
            let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
            let users = try await UserServiceApp.make(
                configuration: configuration, database: database, sessions: MemorySessionStore(), bus: bus,
                logger: ServiceTestEnvironment.logger)
            let admin = try await Self.makeAdmin(users.store)
            let reader = try await ClientRegistration.create(
                store: users.store, name: "orders", grants: ["client_credentials"], scopes: ["users:read"],
                redirectURIs: [], isPublic: false)
            let listen = ServiceListenAddress(host: "127.0.0.1", port: 0)
            try await withRunningService({ users.application(listen: listen, onServerRunning: $0) }) { usersPort in
                try await withRunningService({ Self.echo(listen: listen, onServerRunning: $0) }) { echoPort in
                    let folder = try Self.configurationFolder(echoPort: echoPort, usersPort: usersPort)
                    defer { try? FileManager.default.removeItem(at: folder) }
                    let environment = ["USERS_URL": "http://127.0.0.1:\(usersPort)", "USERS_ISSUER": Self.issuer]
                    let gatewayConfiguration = try ConfigLoader(
                        directory: folder.path, environment: environment, plugins: BundledPlugins.registry
                    ).load()
                    let gateway = try await GatewayServer.start(
                        configuration: gatewayConfiguration, plugins: BundledPlugins.registry,
                        options: GatewayOptions(
                            proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
                            adminListen: ListenAddress(host: "127.0.0.1", port: 0), threads: 1,
                            trustedAddresses: .none, drainTimeout: .milliseconds(200)),
                        logger: ServiceTestEnvironment.logger)
                    do {
                        try await Self.exercise(
                            gateway: "http://127.0.0.1:\(gateway.proxyAddress.port!)",
                            users: "http://127.0.0.1:\(usersPort)",
                            admin: admin, reader: reader)
                        await gateway.shutdown()
                    } catch {
                        await gateway.shutdown()
                        throw error
                    }
                }
            }
            await bus.close()
        }
    }

    static func exercise(
        gateway: String, users: String, admin: UserRecord, reader: ClientRegistration.Credentials
    ) async throws {
        // Registration and the token endpoint need no token.
        let registered = try await TestHTTP.send(
            .POST, gateway + "/api/users",
            json: #"{"email": "eve@example.com", "password": "long enough", "name": "Eve"}"#)
        #expect(registered.status == .created, "\(registered.text)")
        let token = try await TestHTTP.send(
            .POST, gateway + "/oauth/token",
            form: [
                ("grant_type", "password"), ("username", "eve@example.com"), ("password", "long enough"),
                ("client_id", DemoData.clientID),
            ])
        #expect(token.status == .ok, "\(token.text)")
        let access = try #require(try token.object()["access_token"] as? String)
        #expect(try await TestHTTP.send(.GET, gateway + "/.well-known/jwks.json").status == .ok)

        // Everything else under /api/users needs it: the gateway checks it, then the service does.
        let me = try await TestHTTP.send(.GET, gateway + "/api/users/me", token: access)
        #expect(me.status == .ok, "\(me.text)")
        #expect(try me.object()["email"] as? String == "eve@example.com")
        let anonymous = try await TestHTTP.send(.GET, gateway + "/api/users/me")
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.text == #"{"message":"Unauthorized"}"#)
        let forged = try await TestHTTP.send(.GET, gateway + "/api/users/me", token: access.dropLast(4) + "AAAA")
        #expect(forged.status == .unauthorized)

        // The upstream learns who called from the gateway's headers.
        let adminToken = try await TestHTTP.send(
            .POST, gateway + "/oauth/token",
            form: [
                ("grant_type", "password"), ("username", admin.email), ("password", "admin password"),
                ("client_id", DemoData.clientID),
            ])
        let adminAccess = try #require(try adminToken.object()["access_token"] as? String)
        let echoed = try await TestHTTP.send(
            .GET, gateway + "/api/echo", token: adminAccess, headers: [("X-Consumer-Groups", "forged")])
        #expect(echoed.status == .ok, "\(echoed.text)")
        let headers = try #require(try echoed.object() as? [String: String])
        #expect(headers["x-authenticated-userid"] == admin.id)
        #expect(headers["x-consumer-groups"] == "admin")
        #expect(headers["x-authenticated-scope"] == "profile orders")
        #expect((try await TestHTTP.send(.GET, gateway + "/api/echo")).status == .unauthorized)

        // Another service calls the user service with its own client-credentials token, and verifies tokens
        // against the published key set.
        let provider = ClientCredentialsTokenProvider(
            tokenURL: users + "/oauth/token", clientID: reader.clientId, clientSecret: reader.clientSecret!,
            scopes: ["users:read"])
        let serviceToken = try await provider.token()
        #expect(try await provider.token() == serviceToken)
        let looked = try await TestHTTP.send(.GET, users + "/users/\(admin.id)", token: serviceToken)
        #expect(looked.status == .ok)
        let verifier = TokenVerifier(
            keys: JWKSKeys(url: users + "/.well-known/jwks.json", logger: ServiceTestEnvironment.logger),
            issuer: Self.issuer)
        let caller = try await verifier.verify(serviceToken)
        #expect(caller.isClient)
        #expect(caller.has(scope: "users:read"))
    }

    /// The repository's configuration with an echo route added.
    static func configurationFolder(echoPort: Int, usersPort: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-platform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("routes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.repository.appendingPathComponent("plugins.json"),
            to: folder.appendingPathComponent("plugins.json"))
        try FileManager.default.copyItem(
            at: Self.repository.appendingPathComponent("routes/users.json"),
            to: folder.appendingPathComponent("routes/users.json"))
        let echo = """
            {
              "service": { "name": "echo", "url": "http://127.0.0.1:\(echoPort)" },
              "routes": [
                { "name": "echo", "paths": ["/api/echo"], "strip_path": false,
                  "plugins": { "jwt": { "jwks_url": "http://127.0.0.1:\(usersPort)/.well-known/jwks.json",
                                        "issuer": "\(Self.issuer)", "audience": "acme-api" } } }
              ]
            }
            """
        try Data(echo.utf8).write(to: folder.appendingPathComponent("routes/echo.json"))
        return folder
    }

    /// An upstream answering every request with its headers as a JSON object (lowercase names).
    static func echo(
        listen: ServiceListenAddress, onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> any ServiceLifecycle.Service {
        let router = Router()
        router.get("/**") { request, _ in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            return try JSONResponse.make(headers)
        }
        return Application(
            router: router, configuration: .init(address: .hostname(listen.host, port: listen.port)),
            onServerRunning: { await onServerRunning($0.localAddress?.port ?? 0) },
            logger: ServiceTestEnvironment.logger)
    }

    static func makeAdmin(_ store: SQLUserStore) async throws -> UserRecord {
        let now = Timestamp.nowMilliseconds()
        let admin = UserRecord(
            id: UUID().uuidString.lowercased(), email: "root@example.com", name: "Root",
            passwordHash: try await PasswordHasher(cost: .testing).hash("admin password"), groups: ["admin"],
            createdAt: now, updatedAt: now)
        try await store.createUser(admin, event: EventEnvelope(type: "user.registered", data: [:]))
        return admin
    }
}
