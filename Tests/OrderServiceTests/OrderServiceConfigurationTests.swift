import OrderService
import ServiceKit
import Testing

@Suite struct OrderServiceConfigurationTests {
    static let client = ["ORDERS_CLIENT_ID": "orders", "ORDERS_CLIENT_SECRET": "secret"]

    @Test func theDefaultsAreTheLocalPorts() throws {
        let configuration = try OrderServiceConfiguration.fromEnvironment(Self.client)
        #expect(configuration.usersURL == "http://127.0.0.1:8101")
        #expect(configuration.inventoryURL == "http://127.0.0.1:8103")
        #expect(configuration.issuer == "http://127.0.0.1:8101")
        #expect(configuration.clientID == "orders")
        #expect(configuration.clientSecret == "secret")
        #expect(configuration.dependencyPolicy.timeout == .seconds(5))
    }

    @Test func theEnvironmentSetsTheNeighboursAndTheDeadline() throws {
        let environment = Self.client.merging([
            "USERS_URL": "http://users.internal:9000/", "INVENTORY_URL": "http://inventory.internal:9001",
            "USERS_ISSUER": "https://id.example", "ORDERS_DEPENDENCY_TIMEOUT": "1500",
        ]) { $1 }
        let configuration = try OrderServiceConfiguration.fromEnvironment(environment)
        #expect(configuration.usersURL == "http://users.internal:9000")
        #expect(configuration.inventoryURL == "http://inventory.internal:9001")
        #expect(configuration.issuer == "https://id.example")
        #expect(configuration.dependencyPolicy.timeout == .milliseconds(1500))
        // USERS_URL alone does not change the issuer: the user service's default stays.
        let moved = try OrderServiceConfiguration.fromEnvironment(
            Self.client.merging(["USERS_URL": "http://u:1"]) { $1 })
        #expect(moved.issuer == "http://127.0.0.1:8101")
    }

    @Test func missingClientOrBadDeadlineIsRefusedNamingTheVariable() {
        let missing = #expect(throws: ServiceConfigurationError.self) {
            try OrderServiceConfiguration.fromEnvironment(["ORDERS_CLIENT_ID": "orders"])
        }
        #expect(missing?.description.hasPrefix("ORDERS_CLIENT_ID and ORDERS_CLIENT_SECRET: required") == true)
        let bad = #expect(throws: ServiceConfigurationError.self) {
            try OrderServiceConfiguration.fromEnvironment(
                Self.client.merging(["ORDERS_DEPENDENCY_TIMEOUT": "soon"]) { $1 })
        }
        #expect(
            bad?.description == "ORDERS_DEPENDENCY_TIMEOUT: expected a positive number of milliseconds, got \"soon\"")
    }
}
