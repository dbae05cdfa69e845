import Foundation
import Gateway
import GatewayPlugins
import InventoryService
import NIOHTTP1
import OrderService
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

/// End to end through the gateway with this repository's `plugins.json` and `routes/` (users, orders, inventory
/// pointed at the services through `USERS_URL`, `ORDERS_URL`, `INVENTORY_URL`): a customer gets a token from the
/// user service, places an order, sees the stock reserved, cancels, and sees the stock back. The three services
/// share one in-process bus, as `acme up` runs them.
@Suite struct OrdersThroughGatewayTests {
    static let issuer = "http://users.platform-orders.test"

    @Test(arguments: TestDatabase.kinds)
    func anOrderThroughTheGatewayReservesStockAndItsCancellationGivesItBack(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { usersDatabase, _ in
            try await TestDatabase.with(kind) { inventoryDatabase, _ in
                try await TestDatabase.with(kind) { ordersDatabase, _ in
                    try await withTestEventBus { bus in
                        try await Self.run(
                            users: usersDatabase, inventory: inventoryDatabase, orders: ordersDatabase, bus: bus)
                    }
                }
            }
        }
    }

    static func run(
        users usersDatabase: any SQLDatabase, inventory inventoryDatabase: any SQLDatabase,
        orders ordersDatabase: any SQLDatabase, bus: InProcessEventBus
    ) async throws {
        var usersConfiguration = UserServiceConfiguration()
        usersConfiguration.issuer = Self.issuer
        usersConfiguration.signingAlgorithm = .es256
        usersConfiguration.passwordCost = .testing
        let users = try await UserServiceApp.make(
            configuration: usersConfiguration, database: usersDatabase, sessions: MemorySessionStore(), bus: bus,
            logger: ServiceTestEnvironment.logger)
        let client = try await ClientRegistration.create(
            store: users.store, name: "orders", grants: ["client_credentials"],
            scopes: OrderServiceConfiguration.scopes, redirectURIs: [], isPublic: false)
        let listen = ServiceListenAddress(host: "127.0.0.1", port: 0)
        try await withRunningService({ users.application(listen: listen, onServerRunning: $0) }) { usersPort in
            let usersURL = "http://127.0.0.1:\(usersPort)"
            var inventoryConfiguration = InventoryServiceConfiguration()
            inventoryConfiguration.jwksURL = usersURL + "/.well-known/jwks.json"
            inventoryConfiguration.issuer = Self.issuer
            let inventory = try await InventoryServiceApp.make(
                configuration: inventoryConfiguration, database: inventoryDatabase, bus: bus,
                keys: JWKSKeys(url: inventoryConfiguration.jwksURL, logger: ServiceTestEnvironment.logger),
                logger: ServiceTestEnvironment.logger)
            try await withRunningService({ inventory.application(listen: listen, onServerRunning: $0) }) {
                inventoryPort in
                let inventoryURL = "http://127.0.0.1:\(inventoryPort)"
                var ordersConfiguration = OrderServiceConfiguration()
                ordersConfiguration.usersURL = usersURL
                ordersConfiguration.inventoryURL = inventoryURL
                ordersConfiguration.issuer = Self.issuer
                ordersConfiguration.clientID = client.clientId
                ordersConfiguration.clientSecret = client.clientSecret ?? ""
                let orders = try await OrderServiceApp.make(
                    configuration: ordersConfiguration, database: ordersDatabase, bus: bus,
                    logger: ServiceTestEnvironment.logger)
                try await withRunningService({ orders.application(listen: listen, onServerRunning: $0) }) {
                    ordersPort in
                    let environment = [
                        "USERS_URL": usersURL, "USERS_ISSUER": Self.issuer, "INVENTORY_URL": inventoryURL,
                        "ORDERS_URL": "http://127.0.0.1:\(ordersPort)",
                    ]
                    try await Self.withGateway(environment: environment) { gateway in
                        try await Self.exercise(gateway: gateway, client: client)
                    }
                }
            }
        }
    }

    static func exercise(gateway: String, client: ClientRegistration.Credentials) async throws {
        // The order service's own client stocks the inventory through the gateway (scope inventory:write).
        let serviceToken = try await TestHTTP.send(
            .POST, gateway + "/oauth/token",
            form: [
                ("grant_type", "client_credentials"), ("client_id", client.clientId),
                ("client_secret", client.clientSecret ?? ""), ("scope", "inventory:write"),
            ])
        let stocker = try #require(try serviceToken.object()["access_token"] as? String, "\(serviceToken.text)")
        for (path, json) in [
            ("/warehouses", #"{"code": "BER-1", "name": "Berlin", "location": "Berlin, DE"}"#),
            ("/products", #"{"sku": "TEA-1", "name": "Green tea", "price": 450, "currency": "EUR"}"#),
            ("/stock/adjustments", #"{"sku": "TEA-1", "warehouse": "BER-1", "quantity": 10, "reason": "receipt"}"#),
        ] {
            let answer = try await TestHTTP.send(.POST, gateway + "/api/inventory" + path, token: stocker, json: json)
            #expect(answer.status == .created, "\(path): \(answer.text)")
        }

        // A customer registers and logs in through the gateway.
        let registered = try await TestHTTP.send(
            .POST, gateway + "/api/users",
            json: #"{"email": "carol@example.com", "password": "long enough", "name": "Carol"}"#)
        #expect(registered.status == .created, "\(registered.text)")
        let login = try await TestHTTP.send(
            .POST, gateway + "/oauth/token",
            form: [
                ("grant_type", "password"), ("username", "carol@example.com"), ("password", "long enough"),
                ("client_id", DemoData.clientID),
            ])
        let token = try #require(try login.object()["access_token"] as? String, "\(login.text)")

        // The gateway's jwt plugin guards the orders and the inventory.
        let anonymous = try await TestHTTP.send(.GET, gateway + "/api/orders")
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.text == #"{"message":"Unauthorized"}"#)
        #expect(try await TestHTTP.send(.GET, gateway + "/api/inventory/products/TEA-1").status == .unauthorized)

        let created = try await TestHTTP.send(
            .POST, gateway + "/api/orders", token: token,
            json: """
                {"items": [{"sku": "TEA-1", "quantity": 3}],
                 "shipping_address": {"name": "Carol", "line1": "2 High St", "city": "Berlin",
                                      "postal_code": "10115", "country": "DE"}}
                """)
        #expect(created.status == .created, "\(created.text)")
        let id = try #require(try created.object()["id"] as? String)
        #expect(try created.object()["total"] as? Int == 1350)
        #expect(try await Self.reserved(gateway: gateway, token: token) == 3)

        let mine = try await TestHTTP.send(.GET, gateway + "/api/orders", token: token)
        #expect((try mine.object()["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

        let cancelled = try await TestHTTP.send(.POST, gateway + "/api/orders/\(id)/cancel", token: token)
        #expect(cancelled.status == .ok, "\(cancelled.text)")
        #expect(try cancelled.object()["status"] as? String == "cancelled")
        #expect(try await Self.reserved(gateway: gateway, token: token) == 0)
        let read = try await TestHTTP.send(.GET, gateway + "/api/orders/\(id)", token: token)
        #expect(try read.object()["status"] as? String == "cancelled")
    }

    /// Units of TEA-1 reserved, read through the gateway with the customer's token (reads need any valid token).
    static func reserved(gateway: String, token: String) async throws -> Int? {
        let stock = try await TestHTTP.send(.GET, gateway + "/api/inventory/products/TEA-1/stock", token: token)
        #expect(stock.status == .ok, "\(stock.text)")
        return (try stock.object()["total"] as? [String: Any])?["reserved"] as? Int
    }

    /// The gateway on the repository's own `plugins.json` and `routes/`, with `environment` for its variables.
    static func withGateway(environment: [String: String], _ body: (String) async throws -> Void) async throws {
        let configuration = try ConfigLoader(
            directory: UserServiceThroughGatewayTests.repository.path, environment: environment,
            plugins: BundledPlugins.registry
        ).load()
        let gateway = try await GatewayServer.start(
            configuration: configuration, plugins: BundledPlugins.registry,
            options: GatewayOptions(
                proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
                adminListen: ListenAddress(host: "127.0.0.1", port: 0), threads: 1, trustedAddresses: .none,
                drainTimeout: .milliseconds(200)),
            logger: ServiceTestEnvironment.logger)
        do {
            try await body("http://127.0.0.1:\(gateway.proxyAddress.port!)")
            await gateway.shutdown()
        } catch {
            await gateway.shutdown()
            throw error
        }
    }
}
