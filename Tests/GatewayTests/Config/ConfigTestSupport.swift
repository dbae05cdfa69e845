@testable import Gateway

/// A catalog of Kong-like plugins for the loader's tests. `rate-limiting` checks that `minute` is a positive
/// integer; `correlation-id` checks that `header_name` is a token and echoes the value it got, so that tests can
/// see the loader hide substituted values.
struct TestCatalog: PluginCatalog {
    var pluginNames: [String] { ["correlation-id", "rate-limiting", "jwt", "key-auth", "cors"] }

    func validate(plugin name: String, config: JSONValue, file: String, path: String) -> [ConfigError] {
        switch name {
        case "rate-limiting":
            guard let minute = config["minute"] else { return [] }
            if case .integer(let value) = minute, value > 0 { return [] }
            let message = "expected a positive integer, got \(minute.errorDescription)"
            return [ConfigError(file: file, path: JSONPath.member("minute", of: path), message: message)]
        case "correlation-id":
            guard case .string(let header)? = config["header_name"], header.contains(" ") else { return [] }
            let message = "expected a header name, got \"\(header)\""
            return [ConfigError(file: file, path: JSONPath.member("header_name", of: path), message: message)]
        default:
            return []
        }
    }
}

/// The example files of DESIGN.md, and shortcuts to load in-memory files.
enum ConfigFixtures {
    static let pluginsFile = """
        {
          "consumers": [
            { "username": "mobile-app", "groups": ["customers"],
              "credentials": {
                "jwt":      [{ "key": "mobile-app", "algorithm": "HS256", "secret": "${MOBILE_JWT_SECRET}" }],
                "key-auth": [{ "key": "${MOBILE_API_KEY:-local-dev-key}" }] } }
          ],
          "plugins": [
            { "name": "correlation-id", "config": { "header_name": "X-Request-ID" } },
            { "name": "rate-limiting",  "config": { "minute": 600, "policy": "local" } },
            { "name": "jwt", "enabled": false,
              "config": { "jwks_url": "http://127.0.0.1:8101/.well-known/jwks.json", "claims_to_verify": ["exp"] } }
          ]
        }
        """

    static let ordersFile = """
        {
          "service": {
            "name": "orders",
            "url": "http://127.0.0.1:8102",
            "connect_timeout": 2000, "read_timeout": 30000, "write_timeout": 30000, "retries": 2,
            "plugins": { "rate-limiting": { "minute": 120 } }
          },
          "routes": [
            { "name": "orders", "paths": ["/api/orders"], "methods": ["GET", "POST"],
              "strip_path": true,
              "plugins": { "jwt": true, "rate-limiting": { "minute": 60, "limit_by": "consumer" }, "cors": false } }
          ]
        }
        """

    static let environment = ["MOBILE_JWT_SECRET": "jwt-secret-value"]

    /// A routes file with one service (`orders` at a URL unless given) and the routes given as a JSON array.
    static func routesFile(
        service: String = #"{ "name": "orders", "url": "http://127.0.0.1:8102" }"#,
        routes: String = "[]"
    ) -> String {
        #"{ "service": \#(service), "routes": \#(routes) }"#
    }

    /// Loads in-memory files with the test catalog.
    static func load(
        plugins: String? = "{}",
        routes: [(name: String, contents: String)] = [],
        environment: [String: String] = [:]
    ) throws(ConfigErrors) -> GatewayConfiguration {
        try ConfigLoader.load(
            pluginsFile: plugins, routeFiles: routes, environment: environment, plugins: TestCatalog())
    }

    /// The error descriptions of loading in-memory files; empty when they load.
    static func errors(
        plugins: String? = "{}",
        routes: [(name: String, contents: String)] = [],
        environment: [String: String] = [:]
    ) -> [String] {
        do throws(ConfigErrors) {
            _ = try self.load(plugins: plugins, routes: routes, environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// The error descriptions of one `routes/orders.json` holding `service` and `routes`.
    static func routeErrors(
        service: String = #"{ "name": "orders", "url": "http://127.0.0.1:8102" }"#,
        routes: String = "[]",
        environment: [String: String] = [:]
    ) -> [String] {
        self.errors(
            routes: [("routes/orders.json", self.routesFile(service: service, routes: routes))],
            environment: environment
        )
    }

    /// The service of one `routes/orders.json` holding `service` and `routes`, which must load.
    static func service(
        _ service: String = #"{ "name": "orders", "url": "http://127.0.0.1:8102" }"#,
        routes: String = "[]"
    ) throws -> Service {
        let file = self.routesFile(service: service, routes: routes)
        return try self.load(routes: [("routes/orders.json", file)]).services[0]
    }
}
