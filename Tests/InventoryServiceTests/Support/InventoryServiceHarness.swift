import Foundation
import Hummingbird
import HummingbirdTesting
import InventoryService
import InventoryServiceTesting
import ServiceKit
import ServiceKitTesting
import Testing

/// Tokens as the user service would issue them, signed with a test key the service trusts.
enum TestTokens {
    /// The user service as the tests play it: the issuer the service expects and the keys it verifies with.
    static let users = try! TestTokenIssuer()

    /// A user's token without write rights.
    static let reader = users.token(subject: "user-reader")
    /// A service's token with `inventory:write` (as the order service's client has).
    static let writer = users.token(subject: "orders-client", scope: "inventory:write")
    /// An administrator's token.
    static let admin = users.token(subject: "user-admin", groups: ["admin"])
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
        configuration.issuer = TestTokens.users.issuer
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
                    configuration: settings, database: database, bus: bus, keys: TestTokens.users.keys,
                    wmsClient: wms, logger: ServiceTestEnvironment.logger, now: { clock.now() })
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

extension TestClientProtocol {
    /// `METHOD uri` with a JSON body as the order service's client sends it: with `TestTokens.writer`. Pass `token:`
    /// for another caller (`nil` for none).
    func json(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await self.json(method, uri, token: TestTokens.writer, body: body, headers: headers)
    }
}
