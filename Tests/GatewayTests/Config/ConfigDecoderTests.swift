import Testing

@testable import Gateway

/// Secrets and substitution as the decoder reports them.
@Suite struct ConfigDecoderTests {
    @Test func substitutesEnvironmentVariablesInEveryStringValue() throws {
        let service = #"{ "name": "${SERVICE:-orders}", "url": "http://${ORDERS_HOST}:${ORDERS_PORT}/${PREFIX:-}" }"#
        let routes = #"[{ "paths": ["/${PREFIX:-api}/orders"], "hosts": ["${HOST}"] }]"#
        let file = ConfigFixtures.routesFile(service: service, routes: routes)
        let environment = ["ORDERS_HOST": "10.0.0.7", "ORDERS_PORT": "8102", "HOST": "Shop.Example.com"]
        let configuration = try ConfigFixtures.load(routes: [("routes/orders.json", file)], environment: environment)
        let loaded = try #require(configuration.services.first)
        #expect(loaded.name == "orders")
        #expect(loaded.upstream.targets == [Target(host: "10.0.0.7", port: 8102)])
        #expect(loaded.routes.map(\.paths) == [[.prefix("/api/orders")]])
        #expect(loaded.routes.map(\.hosts) == [["shop.example.com"]])
    }

    @Test func reportsAMissingVariableAtItsPathOnce() {
        let service = #"{ "name": "orders", "url": "${ORDERS_URL}", "retries": "${RETRIES}" }"#
        #expect(
            ConfigFixtures.routeErrors(service: service) == [
                "routes/orders.json: service.retries: environment variable RETRIES is not set",
                "routes/orders.json: service.url: environment variable ORDERS_URL is not set",
            ]
        )
        #expect(
            ConfigFixtures.errors(plugins: ConfigFixtures.pluginsFile) == [
                "plugins.json: consumers[0].credentials.jwt[0].secret: environment variable MOBILE_JWT_SECRET is not "
                    + "set"
            ]
        )
    }

    @Test func showsSubstitutedStringsAsWrittenNeverTheirValues() {
        let service = #"{ "name": "orders", "url": "${ORDERS_URL}", "retries": "${RETRIES}" }"#
        let environment = ["ORDERS_URL": "http://admin:hunter2@orders", "RETRIES": "3"]
        let errors = ConfigFixtures.routeErrors(service: service, environment: environment)
        #expect(
            errors == [
                "routes/orders.json: service.retries: expected an integer from 0 to 32767, got \"${RETRIES}\"",
                "routes/orders.json: service.url: expected an http:// URL without user info, got \"${ORDERS_URL}\"",
            ]
        )
        #expect(!errors.joined().contains("hunter2"))
    }

    @Test func hidesSubstitutedValuesInThePluginCatalogsMessages() {
        let plugins = """
            { "plugins": [{ "name": "correlation-id", "config": { "header_name": "${HEADER} ${NOPE:-x}" } }] }
            """
        let errors = ConfigFixtures.errors(plugins: plugins, environment: ["HEADER": "Top Secret"])
        #expect(
            errors == [
                "plugins.json: plugins[0].config.header_name: expected a header name, got \"${HEADER} ${NOPE:-x}\""
            ]
        )
    }

    @Test func dropsCatalogErrorsAtStringsWhoseSubstitutionFailed() {
        let plugins = #"{ "plugins": [{ "name": "correlation-id", "config": { "header_name": "${HEADER} x" } }] }"#
        #expect(
            ConfigFixtures.errors(plugins: plugins) == [
                "plugins.json: plugins[0].config.header_name: environment variable HEADER is not set"
            ]
        )
    }

    @Test func reportsTheLineAndColumnOfMalformedJSON() {
        var decoder = ConfigDecoder(environment: [:], catalog: TestCatalog())
        #expect(decoder.begin(file: "routes/orders.json", contents: "{\n  \"a\": tru\n}") == nil)
        #expect(
            decoder.errors.map(\.description) == ["routes/orders.json: line 2, column 11: expected 'true', got U+000A"])
    }
}
