import Foundation
import Hummingbird
import HummingbirdTesting
import JWT
import NIOPosix
import Redis
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

/// Where a test keeps the service's sessions.
enum SessionKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case redis

    var description: String { self.rawValue }

    /// Memory always; Redis when `REDIS_URL` is set or under CI.
    static let kinds: [SessionKind] = ServiceTestEnvironment.redisTestsRun ? [.memory, .redis] : [.memory]
}

/// The database and session-store combinations the service's tests run on: SQLite with memory always, PostgreSQL
/// with Redis when the servers are there (or under CI).
struct Backend: Sendable, CustomStringConvertible {
    let database: TestDatabase.Kind
    let sessions: SessionKind

    var description: String { "\(self.database)+\(self.sessions)" }

    static let all: [Backend] = {
        var backends = [Backend(database: .sqlite, sessions: .memory)]
        let both = ServiceTestEnvironment.databaseURL != nil && ServiceTestEnvironment.redisURL != nil
        if both || ServiceTestEnvironment.isCI {
            backends.append(Backend(database: .postgres, sessions: .redis))
        }
        return backends
    }()
}

/// A session store of `kind` with keys of its own, closed afterwards.
func withSessions<Result>(_ kind: SessionKind, _ body: (any SessionStore) async throws -> Result) async throws -> Result
{
    switch kind {
    case .memory:
        return try await body(MemorySessionStore())
    case .redis:
        let client = RedisClient(
            configuration: try RedisConfiguration(url: try ServiceTestEnvironment.requireRedisURL()),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: ServiceTestEnvironment.logger)
        let store = RedisSessionStore(client: client, prefix: "users-test:\(UInt64.random(in: 0...UInt64.max)):")
        do {
            let result = try await body(store)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }
}

/// The user service on a test database and session store, with a cheap password hash, no login delays, and a
/// clock the test moves.
struct UserServiceHarness {
    let app: UserServiceApp
    let bus: InProcessEventBus
    let clock: ServiceTestClock
    let database: TestDatabase

    static let publicClient = DemoData.clientID
    static let adminEmail = "admin@example.com"
    static let password = "correct horse battery"

    /// The tests' settings: ES256 keys (an RSA key pair costs a quarter of a second of CPU to make; the tests that
    /// check RS256 ask for it), the cheapest argon2 cost, and a throttle that locks after three failures at once.
    static func configuration() -> UserServiceConfiguration {
        var configuration = UserServiceConfiguration()
        configuration.issuer = "http://users.test"
        configuration.signingAlgorithm = .es256
        configuration.passwordCost = .testing
        configuration.loginThrottle = LoginThrottle.Policy(
            accountSlowAfter: 100, accountLockAfter: 3, addressSlowAfter: 100, addressLockAfter: 1000,
            window: .seconds(60), baseDelay: .zero, maximumDelay: .zero)
        return configuration
    }

    /// Runs `body` with a new service on `backend`.
    static func with<Result>(
        _ backend: Backend, configure: (inout UserServiceConfiguration) -> Void = { _ in },
        _ body: (UserServiceHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = Self.configuration()
        configure(&configuration)
        let settings = configuration
        return try await TestDatabase.with(backend.database) { database, test in
            try await withSessions(backend.sessions) { sessions in
                try await withTestEventBus { bus in
                    let clock = ServiceTestClock()
                    let app = try await UserServiceApp.make(
                        configuration: settings, database: database, sessions: sessions, bus: bus,
                        logger: ServiceTestEnvironment.logger, now: { clock.now() })
                    return try await body(UserServiceHarness(app: app, bus: bus, clock: clock, database: test))
                }
            }
        }
    }

    /// Runs `body` with a client of the router (no sockets).
    func test<Result: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Result) async throws
        -> Result
    {
        try await self.app.application(listen: ServiceListenAddress(host: "127.0.0.1", port: 0)).test(.router, body)
    }

    /// A user made directly in the store, with `groups`.
    @discardableResult
    func makeUser(email: String, groups: [String] = []) async throws -> UserRecord {
        let now = Timestamp.nowMilliseconds()
        let user = UserRecord(
            id: UUID().uuidString.lowercased(), email: email, name: "Test \(email)",
            passwordHash: try await PasswordHasher(cost: .testing).hash(Self.password), groups: groups, createdAt: now,
            updatedAt: now)
        try await self.app.store.createUser(user, event: EventEnvelope(type: "user.registered", data: [:]))
        return user
    }

    /// A confidential client.
    func makeClient(grants: [String], scopes: [String], redirectURIs: [String] = []) async throws
        -> ClientRegistration.Credentials
    {
        try await ClientRegistration.create(
            store: self.app.store, name: "test", grants: grants, scopes: scopes, redirectURIs: redirectURIs,
            isPublic: false)
    }
}

/// What the tests send and read.
extension TestClientProtocol {
    /// `POST uri` with a form body.
    func form(_ uri: String, _ pairs: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await self.execute(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: FormBody.encode(pairs)))
    }

    /// The password grant for the public demo client; returns the token response.
    func passwordGrant(_ email: String, _ password: String = UserServiceHarness.password, scope: String? = nil)
        async throws
        -> [String: Any]
    {
        var pairs = [
            ("grant_type", "password"), ("username", email), ("password", password), ("client_id", DemoData.clientID),
        ]
        if let scope { pairs.append(("scope", scope)) }
        let response = try await self.form("/oauth/token", pairs)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.object()
    }
}

extension TestResponse {
    /// A string member of the body.
    func string(_ name: String) throws -> String? {
        try self.object()[name] as? String
    }
}

/// `Basic` credentials for a client.
func basic(_ credentials: ClientRegistration.Credentials) -> HTTPFields {
    let text = FormBody.encode(credentials.clientId) + ":" + FormBody.encode(credentials.clientSecret ?? "")
    return [.authorization: "Basic " + Data(text.utf8).base64EncodedString()]
}
