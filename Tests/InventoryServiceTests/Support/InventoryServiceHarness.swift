import Foundation
import Hummingbird
import HummingbirdTesting
import InventoryService
import InventoryServiceTesting
import JWT
import ServiceKit
import ServiceKitTesting
import Testing

/// Tokens as the user service would issue them, signed with a test key the service trusts.
enum TestTokens {
    static let issuer = "http://users.test"
    static let pair = try! JWTKeyPair.ec("P-256")

    /// The keys the service verifies with.
    struct Keys: VerificationKeys {
        func keys(kid: String?) async throws -> [VerificationKey] {
            [VerificationKey(kid: "test", algorithm: .es256, key: try .publicKey(pem: TestTokens.pair.publicPEM))]
        }
    }

    static func token(subject: String = "user-1", scope: String = "", groups: [String] = []) -> String {
        let now = Date().timeIntervalSince1970
        let claims: [String: JSONValue] = [
            "iss": .string(Self.issuer), "sub": .string(subject), "aud": "acme-api", "exp": .number(now + 3600),
            "iat": .number(now), "scope": .string(scope), "groups": .array(groups.map { .string($0) }),
        ]
        return try! JWTSigner.sign(claims: claims, algorithm: .es256, key: try! Self.pair.signingKey(), kid: "test")
    }

    /// A user's token without write rights.
    static let reader = token(subject: "user-reader")
    /// A service's token with `inventory:write` (as the order service's client has).
    static let writer = token(subject: "orders-client", scope: "inventory:write")
    /// An administrator's token.
    static let admin = token(subject: "user-admin", groups: ["admin"])
}

/// The inventory service on a test database, with test tokens, a clock the test moves and, when asked, a WMS.
struct InventoryHarness {
    let app: InventoryServiceApp
    let bus: InProcessEventBus
    let clock: ServiceTestClock
    let database: TestDatabase

    static let webhookSecret = "whsec-test"

    static func configuration() -> InventoryServiceConfiguration {
        var configuration = InventoryServiceConfiguration()
        configuration.issuer = TestTokens.issuer
        configuration.webhookSecret = Self.webhookSecret
        // The tests expire reservations themselves (`app.expiry`), at the times they choose.
        configuration.expiryInterval = .seconds(3600)
        return configuration
    }

    /// Runs `body` with a new service on `kind`; `wms` is the client of a WMS (none by default).
    static func with<Result>(
        _ kind: TestDatabase.Kind, wms: WMSClient? = nil,
        configure: (inout InventoryServiceConfiguration) -> Void = { _ in },
        _ body: (InventoryHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = Self.configuration()
        configure(&configuration)
        let settings = configuration
        return try await TestDatabase.with(kind) { database, test in
            try await withTestEventBus { bus in
                let clock = ServiceTestClock()
                let app = try await InventoryServiceApp.make(
                    configuration: settings, database: database, bus: bus, keys: TestTokens.Keys(), wmsClient: wms,
                    logger: ServiceTestEnvironment.logger, now: { clock.now() })
                return try await body(InventoryHarness(app: app, bus: bus, clock: clock, database: test))
            }
        }
    }

    /// Runs `body` with a client of the router (no sockets).
    func test<Result: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Result) async throws
        -> Result
    {
        try await self.app.application(listen: ServiceListenAddress(host: "127.0.0.1", port: 0)).test(.router, body)
    }

    /// Two warehouses (`berlin`, `lyon`) and the products `A` and `B`, with the levels given (SKU, warehouse, units).
    func seed(_ levels: [(String, String, Int64)]) async throws {
        let now = self.clock.now()
        for code in ["berlin", "lyon"] {
            try await self.app.store.createWarehouse(Warehouse(code: code, name: code, location: code, createdAt: now))
        }
        for sku in ["A", "B"] {
            try await self.app.store.createProduct(
                Product(sku: sku, name: "Product \(sku)", price: 1000, currency: "EUR", createdAt: now, updatedAt: now))
        }
        for (sku, warehouse, units) in levels {
            _ = try await self.app.store.adjustStock(
                sku: sku, warehouse: warehouse, quantity: units, reason: .receipt, reference: nil, now: now)
        }
    }

    /// The level of `sku` in `warehouse` (zeros when there is none).
    func level(_ sku: String, _ warehouse: String) async throws -> StockLevel {
        try await self.app.store.level(sku, warehouse)
    }

    /// The events the bus carries for `pattern`, from now on.
    func events(_ pattern: String) async throws -> AsyncStream<EventEnvelope> {
        let (stream, continuation) = AsyncStream<EventEnvelope>.makeStream()
        try await self.bus.subscribe(pattern, name: "test-\(pattern)") { continuation.yield($0) }
        return stream
    }
}

extension InventoryStore {
    /// The level of `sku` in `warehouse` (zeros when there is none).
    func level(_ sku: String, _ warehouse: String) async throws -> StockLevel {
        try await self.stock(sku: sku).first { $0.warehouse == warehouse }
            ?? StockLevel(sku: sku, warehouse: warehouse, onHand: 0, reserved: 0)
    }
}

/// Waits until `condition` holds, checking every 50 ms: a guard against hanging (`false` after `seconds`), not a
/// timing assertion.
func eventually(within seconds: Int = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// What the tests send and read.
extension TestClientProtocol {
    /// `METHOD uri` with a JSON body and a bearer token.
    func json(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = TestTokens.writer, body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if body != nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await self.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(self.body.readableBytesView)) as? [String: Any])
    }

    /// The body as text, for failure messages.
    var text: String { String(buffer: self.body) }
}
