import Testing

@testable import Gateway

@Suite struct ConfigDecoderPluginsTests {
    @Test func mapsTogglesOfServicesAndRoutes() throws {
        let service = try ConfigFixtures.service(
            #"{ "name": "a", "url": "http://a", "plugins": { "cors": true, "jwt": false } }"#,
            routes: #"[{ "paths": ["/"], "plugins": { "rate-limiting": { "minute": 5 } } }]"#
        )
        #expect(service.plugins == ["cors": .on, "jwt": .off])
        #expect(
            service.routes[0].plugins == [
                "rate-limiting": .configured(.object([JSONMember(key: "minute", value: .integer(5))]))
            ])
    }

    @Test func rejectsUnknownPluginsAndOtherValues() {
        let service = #"{ "name": "a", "url": "http://a", "plugins": { "foo": true, "jwt": "yes", "cors": null } }"#
        #expect(
            ConfigFixtures.routeErrors(service: service) == [
                "routes/orders.json: service.plugins.cors: expected true, false or a configuration object, got null",
                "routes/orders.json: service.plugins.foo: unknown plugin; known plugins are correlation-id, cors, jwt, "
                    + "key-auth, rate-limiting",
                "routes/orders.json: service.plugins.jwt: expected true, false or a configuration object, got \"yes\"",
            ]
        )
        #expect(
            ConfigFixtures.routeErrors(routes: #"[{ "paths": ["/"], "plugins": [] }]"#) == [
                "routes/orders.json: routes[0].plugins: expected an object, got an array"
            ]
        )
    }

    @Test func validatesConfigurationObjectsThroughTheCatalog() {
        let routes = #"[{ "paths": ["/"], "plugins": { "rate-limiting": { "minute": "sixty" } } }]"#
        #expect(
            ConfigFixtures.routeErrors(routes: routes) == [
                "routes/orders.json: routes[0].plugins.rate-limiting.minute: expected a positive integer, got \"sixty\""
            ]
        )
    }
}
