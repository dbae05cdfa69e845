import Testing

@testable import Gateway

@Suite struct ConfigDecoderServiceTests {
    @Test func appliesKongDefaults() throws {
        let service = try ConfigFixtures.service()
        #expect(
            service
                == Service(
                    name: "orders",
                    upstream: Upstream(targets: [Target(host: "127.0.0.1", port: 8102)], hostHeader: "127.0.0.1:8102"),
                    connectTimeout: 60_000,
                    readTimeout: 60_000,
                    writeTimeout: 60_000,
                    retries: 5,
                    location: ConfigLocation(file: "routes/orders.json", path: "service")
                )
        )
    }

    @Test func acceptsTheBoundsOfTimeoutsAndRetries() throws {
        let service = try ConfigFixtures.service(
            #"{ "name": "a", "url": "http://a", "connect_timeout": 1, "read_timeout": 2147483646, "retries": 0 }"#
        )
        #expect(service.connectTimeout == 1)
        #expect(service.readTimeout == 2_147_483_646)
        #expect(service.retries == 0)
    }

    @Test func rejectsInvalidServices() {
        let service = """
            { "name": "", "url": "http://a", "upstream": { "targets": [{ "target": "a" }] },
              "connect_timeout": 0, "read_timeout": 2147483647, "write_timeout": "sixty", "retries": 32768,
              "client_certificate": "cert.pem" }
            """
        #expect(
            ConfigFixtures.routeErrors(service: service, routes: #"{}"#) == [
                "routes/orders.json: routes: expected an array, got an object",
                "routes/orders.json: service: expected exactly one of \"url\" and \"upstream\", got both",
                "routes/orders.json: service.client_certificate: unknown field; allowed fields are name, url, "
                    + "upstream, protocol, connect_timeout, read_timeout, write_timeout, retries, tls_verify, ca_certificates, "
                    + "plugins",
                "routes/orders.json: service.connect_timeout: expected a positive integer of milliseconds up to "
                    + "2147483646, got 0",
                "routes/orders.json: service.name: expected a non-empty string, got \"\"",
                "routes/orders.json: service.read_timeout: expected a positive integer of milliseconds up to "
                    + "2147483646, got 2147483647",
                "routes/orders.json: service.retries: expected an integer from 0 to 32767, got 32768",
                "routes/orders.json: service.write_timeout: expected a positive integer of milliseconds up to "
                    + "2147483646, got \"sixty\"",
            ]
        )
        #expect(
            ConfigFixtures.routeErrors(service: "[]") == [
                "routes/orders.json: service: expected an object, got an array"
            ]
        )
        #expect(
            ConfigFixtures.errors(routes: [("routes/orders.json", #"{ "service": { "url": "http://a" }, "x": 1 }"#)])
                == [
                    "routes/orders.json: service.name: is required",
                    "routes/orders.json: x: unknown field; allowed fields are service, routes",
                ]
        )
    }

    @Test func requiresServiceNamesUniqueAcrossFiles() {
        let file = ConfigFixtures.routesFile()
        #expect(
            ConfigFixtures.errors(routes: [("routes/b.json", file), ("routes/a.json", file)]) == [
                "routes/b.json: service.name: expected a unique service name, got \"orders\" (already used at "
                    + "routes/a.json: service.name)"
            ]
        )
    }
}
