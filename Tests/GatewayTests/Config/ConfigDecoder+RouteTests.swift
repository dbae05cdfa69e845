import Testing

@testable import Gateway

@Suite struct ConfigDecoderRouteTests {
    @Test func appliesKongDefaultsAndNamesRoutesAfterTheirService() throws {
        let service = try ConfigFixtures.service(routes: #"[{ "paths": ["/a"] }, { "name": "b", "methods": ["get"] }]"#)
        #expect(
            service.routes == [
                Route(
                    name: "orders-1",
                    serviceName: "orders",
                    paths: [.prefix("/a")],
                    stripPath: true,
                    preserveHost: false,
                    regexPriority: 0,
                    location: ConfigLocation(file: "routes/orders.json", path: "routes[0]")
                ),
                Route(
                    name: "b",
                    serviceName: "orders",
                    methods: ["GET"],
                    location: ConfigLocation(file: "routes/orders.json", path: "routes[1]")
                ),
            ]
        )
    }

    @Test func mapsEveryMatchingAttribute() throws {
        let route = """
            [{ "paths": ["/api", "~/users/\\\\d+$"], "methods": ["get", "Post"],
               "hosts": ["API.example.com", "*.Example.org", "example.*"],
               "headers": { "X-Version": ["1", "2"], "X-Tenant": "acme" },
               "strip_path": false, "preserve_host": true, "regex_priority": -3 }]
            """
        let loaded = try ConfigFixtures.service(routes: route).routes[0]
        #expect(loaded.paths == [.prefix("/api"), .regex("/users/\\d+$")])
        #expect(loaded.methods == ["GET", "POST"])
        #expect(loaded.hosts == ["api.example.com", "*.example.org", "example.*"])
        #expect(loaded.headers == ["x-version": ["1", "2"], "x-tenant": ["acme"]])
        #expect(!loaded.stripPath)
        #expect(loaded.preserveHost)
        #expect(loaded.regexPriority == -3)
    }

    @Test func rejectsInvalidAttributes() {
        let route = """
            [{ "paths": ["api", "~/([", "~"], "methods": ["GE T", 1], "hosts": ["a.*.com", "*"],
               "headers": { "Host": "a", "X-A": [], "x-a": "b", "bad header": "c", "X-B": 5, "X-C": [true] },
               "strip_path": "yes", "preserve_host": 1, "regex_priority": 1.5, "protocols": ["http"] }]
            """
        #expect(
            ConfigFixtures.routeErrors(routes: route) == [
                "routes/orders.json: routes[0].headers.Host: the Host header is matched with \"hosts\", not "
                    + "\"headers\"",
                "routes/orders.json: routes[0].headers.X-A: expected at least one header value, got an empty array",
                "routes/orders.json: routes[0].headers.X-B: expected a string or an array of strings, got 5",
                "routes/orders.json: routes[0].headers.X-C[0]: expected a string, got true",
                "routes/orders.json: routes[0].headers.bad header: expected an HTTP header name, got \"bad header\"",
                "routes/orders.json: routes[0].headers.x-a: expected each header name once, in any case, got \"x-a\"",
                "routes/orders.json: routes[0].hosts[0]: expected a host name, \"*.example.com\" or \"example.*\", "
                    + "got \"a.*.com\"",
                "routes/orders.json: routes[0].hosts[1]: expected a host name, \"*.example.com\" or \"example.*\", "
                    + "got \"*\"",
                "routes/orders.json: routes[0].methods[0]: expected an HTTP method, got \"GE T\"",
                "routes/orders.json: routes[0].methods[1]: expected a string, got 1",
                "routes/orders.json: routes[0].paths[0]: expected a path starting with \"/\", or \"~\" and a regular "
                    + "expression, got \"api\"",
                "routes/orders.json: routes[0].paths[1]: expected a valid regular expression after \"~\", got \"~/([\"",
                "routes/orders.json: routes[0].paths[2]: expected a valid regular expression after \"~\", got \"~\"",
                "routes/orders.json: routes[0].preserve_host: expected true or false, got 1",
                "routes/orders.json: routes[0].protocols: unknown field; allowed fields are name, paths, methods, "
                    + "hosts, headers, strip_path, preserve_host, regex_priority, plugins",
                "routes/orders.json: routes[0].regex_priority: expected an integer, got 1.5",
                "routes/orders.json: routes[0].strip_path: expected true or false, got \"yes\"",
            ]
        )
    }

    @Test func requiresSomethingToMatchOn() {
        let routes = #"[{ "name": "a" }, { "paths": [], "headers": {} }, "b"]"#
        #expect(
            ConfigFixtures.routeErrors(routes: routes) == [
                "routes/orders.json: routes[0]: expected at least one of paths, methods, hosts, headers to match on",
                "routes/orders.json: routes[1]: expected at least one of paths, methods, hosts, headers to match on",
                "routes/orders.json: routes[2]: expected an object, got \"b\"",
            ]
        )
    }

    @Test func requiresRouteNamesUniqueAcrossFiles() {
        let first = ConfigFixtures.routesFile(
            service: #"{ "name": "a", "url": "http://a" }"#,
            routes: #"[{ "name": "b-1", "paths": ["/"] }, { "name": "", "paths": ["/"] }]"#
        )
        let second = ConfigFixtures.routesFile(
            service: #"{ "name": "b", "url": "http://b" }"#,
            routes: #"[{ "paths": ["/"] }, { "name": "b-1", "paths": ["/"] }]"#
        )
        #expect(
            ConfigFixtures.errors(routes: [("routes/a.json", first), ("routes/b.json", second)]) == [
                "routes/a.json: routes[1].name: expected a non-empty string, got \"\"",
                "routes/b.json: routes[0]: expected a unique route name, got \"b-1\" (already used at routes/a.json: "
                    + "routes[0].name)",
                "routes/b.json: routes[1].name: expected a unique route name, got \"b-1\" (already used at "
                    + "routes/a.json: routes[0].name)",
            ]
        )
    }
}
