import Foundation
import Hummingbird
import InventoryService
import NIOHTTP1
import OrderService
import ServiceKit
import ServiceKitTesting
import ServiceLifecycle
import Testing
import UserService

/// The order service's neighbours, for real, on loopback: the user service and the inventory service, each on a
/// test database of its own, sharing one in-process bus with the order service (as `acme up` runs them). The
/// order service's OAuth client exists in the user service; a customer is registered and logged in.
struct OrderPlatform {
    static let issuer = "http://users.orders.test"
    static let warehouse = "BER-1"

    let kind: TestDatabase.Kind
    let bus: InProcessEventBus
    let usersURL: String
    let inventoryURL: String
    /// The order service's client (`users:read inventory:write`), also used to stock the inventory.
    let client: ClientRegistration.Credentials
    /// A customer's access token, and the customer's id.
    let customerToken: String
    let customerID: String
    /// Another customer's access token.
    let otherToken: String

    /// The order service's settings pointing at these neighbours, with a short deadline and quick retries.
    var orderConfiguration: OrderServiceConfiguration {
        var configuration = OrderServiceConfiguration()
        configuration.usersURL = self.usersURL
        configuration.inventoryURL = self.inventoryURL
        configuration.issuer = Self.issuer
        configuration.clientID = self.client.clientId
        configuration.clientSecret = self.client.clientSecret ?? ""
        configuration.dependencyPolicy = DependencyClient.Policy(
            timeout: .seconds(10),
            retry: RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100)))
        configuration.breakerThreshold = 3
        configuration.breakerCooldown = .seconds(60)
        return configuration
    }

    /// Runs the user service, then `inventory` (a body that gets the platform while the inventory runs), then
    /// `afterInventory` (the same platform once the inventory service has stopped).
    static func with(
        _ kind: TestDatabase.Kind, inventory: (OrderPlatform) async throws -> Void,
        afterInventory: (OrderPlatform) async throws -> Void = { _ in }
    ) async throws {
        try await TestDatabase.with(kind) { usersDatabase, _ in
            try await TestDatabase.with(kind) { inventoryDatabase, _ in
                try await withTestEventBus { bus in
                    var users = UserServiceConfiguration()
                    users.issuer = Self.issuer
                    users.signingAlgorithm = .es256
                    users.passwordCost = .testing
                    let usersApp = try await UserServiceApp.make(
                        configuration: users, database: usersDatabase, sessions: MemorySessionStore(), bus: bus,
                        logger: ServiceTestEnvironment.logger)
                    let client = try await ClientRegistration.create(
                        store: usersApp.store, name: "orders", grants: ["client_credentials"],
                        scopes: OrderServiceConfiguration.scopes, redirectURIs: [], isPublic: false)
                    let listen = ServiceListenAddress(host: "127.0.0.1", port: 0)
                    try await withRunningService({ usersApp.application(listen: listen, onServerRunning: $0) }) {
                        usersPort in
                        let usersURL = "http://127.0.0.1:\(usersPort)"
                        let (customerID, customerToken) = try await Self.customer(usersURL, email: "ada@example.com")
                        let (_, otherToken) = try await Self.customer(usersURL, email: "bob@example.com")
                        let inventoryApp = try await Self.inventory(
                            usersURL: usersURL, database: inventoryDatabase, bus: bus)
                        var platform: OrderPlatform?
                        try await withRunningService({ inventoryApp.application(listen: listen, onServerRunning: $0) })
                        {
                            inventoryPort in
                            let made = OrderPlatform(
                                kind: kind, bus: bus, usersURL: usersURL,
                                inventoryURL: "http://127.0.0.1:\(inventoryPort)",
                                client: client, customerToken: customerToken, customerID: customerID,
                                otherToken: otherToken)
                            platform = made
                            try await inventory(made)
                        }
                        try await afterInventory(try #require(platform))
                    }
                }
            }
        }
    }

    /// The inventory service on `database`, trusting the user service at `usersURL`.
    static func inventory(usersURL: String, database: any SQLDatabase, bus: any EventBus) async throws
        -> InventoryServiceApp
    {
        var configuration = InventoryServiceConfiguration()
        configuration.jwksURL = usersURL + "/.well-known/jwks.json"
        configuration.issuer = Self.issuer
        return try await InventoryServiceApp.make(
            configuration: configuration, database: database, bus: bus,
            keys: JWKSKeys(url: configuration.jwksURL, logger: ServiceTestEnvironment.logger),
            logger: ServiceTestEnvironment.logger)
    }

    /// Registers a customer and logs in with the password grant: the user id and access token.
    static func customer(_ usersURL: String, email: String) async throws -> (String, String) {
        let registered = try await TestHTTP.send(
            .POST, usersURL + "/users", json: #"{"email": "\#(email)", "password": "long enough", "name": "C"}"#)
        try #require(registered.status == .created, "\(registered.text)")
        let id = try #require(try registered.object()["id"] as? String)
        let token = try await TestHTTP.send(
            .POST, usersURL + "/oauth/token",
            form: [
                ("grant_type", "password"), ("username", email), ("password", "long enough"),
                ("client_id", DemoData.clientID),
            ])
        try #require(token.status == .ok, "\(token.text)")
        return (id, try #require(try token.object()["access_token"] as? String))
    }

    /// A client-credentials token of the order service's client.
    func serviceToken() async throws -> String {
        try await ClientCredentialsTokenProvider(
            tokenURL: self.usersURL + "/oauth/token", clientID: self.client.clientId,
            clientSecret: self.client.clientSecret ?? "", scopes: OrderServiceConfiguration.scopes
        ).token()
    }

    /// A warehouse, and a product with `units` on hand there.
    func stock(sku: String, price: Int, units: Int, currency: String = "EUR") async throws {
        let token = try await self.serviceToken()
        let warehouse = try await TestHTTP.send(
            .POST, self.inventoryURL + "/warehouses", token: token,
            json: #"{"code": "\#(Self.warehouse)", "name": "Berlin", "location": "Berlin, DE"}"#)
        try #require(
            warehouse.status == .created || warehouse.status == .conflict, "\(warehouse.status) \(warehouse.text)")
        let product = try await TestHTTP.send(
            .POST, self.inventoryURL + "/products", token: token,
            json: #"{"sku": "\#(sku)", "name": "Product \#(sku)", "price": \#(price), "currency": "\#(currency)"}"#)
        try #require(product.status == .created, "\(product.status) \(product.text)")
        let adjustment = try await TestHTTP.send(
            .POST, self.inventoryURL + "/stock/adjustments", token: token,
            json: #"{"sku": "\#(sku)", "warehouse": "\#(Self.warehouse)", "quantity": \#(units), "reason": "receipt"}"#)
        try #require(adjustment.status == .created, "\(adjustment.status) \(adjustment.text)")
    }

    /// `reserved` and `available` of `sku`, over all warehouses.
    func stockLevel(sku: String) async throws -> (reserved: Int, available: Int) {
        let answer = try await TestHTTP.send(
            .GET, self.inventoryURL + "/products/\(sku)/stock", token: try await self.serviceToken())
        try #require(answer.status == .ok, "\(answer.text)")
        let total = try #require(try answer.object()["total"] as? [String: Any])
        return (try #require(total["reserved"] as? Int), try #require(total["available"] as? Int))
    }

    /// The order service on a database of `kind`, running while `body` runs with its base URL.
    func withOrders<Result>(
        database: any SQLDatabase, configure: (inout OrderServiceConfiguration) -> Void = { _ in },
        _ body: (OrderServiceApp, String) async throws -> Result
    ) async throws -> Result {
        var configuration = self.orderConfiguration
        configure(&configuration)
        let app = try await OrderServiceApp.make(
            configuration: configuration, database: database, bus: self.bus, logger: ServiceTestEnvironment.logger)
        let listen = ServiceListenAddress(host: "127.0.0.1", port: 0)
        return try await withRunningService({ app.application(listen: listen, onServerRunning: $0) }) { port in
            try await body(app, "http://127.0.0.1:\(port)")
        }
    }

    /// The JSON body of an order of `items` (SKU, quantity).
    static func orderBody(_ items: [(String, Int)]) -> String {
        let lines = items.map { #"{"sku": "\#($0.0)", "quantity": \#($0.1)}"# }.joined(separator: ", ")
        return """
            {"items": [\(lines)],
             "shipping_address": {"name": "Ada Lovelace", "line1": "1 Main St", "city": "Berlin",
                                  "postal_code": "10115", "country": "de"}}
            """
    }
}
