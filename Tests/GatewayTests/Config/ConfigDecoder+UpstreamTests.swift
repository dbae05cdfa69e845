import Testing

@testable import Gateway

@Suite struct ConfigDecoderUpstreamTests {
    private func upstream(url: String) throws -> Upstream {
        try ConfigFixtures.service(#"{ "name": "a", "url": "\#(url)" }"#).upstream
    }

    private func upstream(_ json: String) throws -> Upstream {
        try ConfigFixtures.service(#"{ "name": "a", "upstream": \#(json) }"#).upstream
    }

    private func urlErrors(_ url: String) -> [String] {
        ConfigFixtures.routeErrors(service: #"{ "name": "a", "url": "\#(url)" }"#)
    }

    private func upstreamErrors(_ json: String) -> [String] {
        ConfigFixtures.routeErrors(service: #"{ "name": "a", "upstream": \#(json) }"#)
    }

    @Test func mapsAURLToOneTarget() throws {
        #expect(
            try self.upstream(url: "http://api.internal:8080/v1/")
                == Upstream(
                    scheme: "http",
                    targets: [Target(host: "api.internal", port: 8080, weight: 100)],
                    algorithm: .roundRobin,
                    path: "/v1",
                    hostHeader: "api.internal:8080"
                )
        )
        #expect(try self.upstream(url: "http://example.com/").path == "")
        #expect(try self.upstream(url: "http://example.com/").hostHeader == "example.com")
        #expect(try self.upstream(url: "HTTP://example.com:80/a/b").hostHeader == "example.com")
        #expect(try self.upstream(url: "http://example.com:80/a/b").targets == [Target(host: "example.com", port: 80)])
        #expect(try self.upstream(url: "http://[::1]:9000/x").targets == [Target(host: "::1", port: 9000)])
        #expect(try self.upstream(url: "http://[::1]:9000/x").hostHeader == "[::1]:9000")
        #expect(try self.upstream(url: "http://[::1]").hostHeader == "[::1]")
    }

    @Test(arguments: [
        ("127.0.0.1:8102", "expected an http:// or https:// URL, got \"127.0.0.1:8102\""),
        ("ftp://a", "expected an http:// or https:// URL, got \"ftp://a\""),
        ("http:/a", "expected an http:// or https:// URL, got \"http:/a\""),
        ("https://a/?x=1", "expected an https:// URL without query or fragment, got \"https://a/?x=1\""),
        ("https://a:0", "expected an https:// URL with a port from 1 to 65535, got \"https://a:0\""),
        ("http://a/?x=1", "expected an http:// URL without query or fragment, got \"http://a/?x=1\""),
        ("http://a/#top", "expected an http:// URL without query or fragment, got \"http://a/#top\""),
        ("http://u:p@a/", "expected an http:// URL without user info, got \"http://u:p@a/\""),
        ("http://", "expected an http:// URL with a host name, IPv4 address or [IPv6] address, got \"http://\""),
        ("http://a b", "expected an http:// URL with a host name, IPv4 address or [IPv6] address, got \"http://a b\""),
        ("http://::1", "expected an http:// URL with a host name, IPv4 address or [IPv6] address, got \"http://::1\""),
        ("http://a:0", "expected an http:// URL with a port from 1 to 65535, got \"http://a:0\""),
        ("http://a:65536", "expected an http:// URL with a port from 1 to 65535, got \"http://a:65536\""),
        ("http://a/b c", "expected an http:// URL with a valid path, got \"http://a/b c\""),
    ])
    func rejectsInvalidURLs(url: String, message: String) {
        #expect(self.urlErrors(url) == ["routes/orders.json: service.url: \(message)"])
    }

    @Test func mapsTheLongFormWithKongDefaults() throws {
        let upstream = try self.upstream(
            """
            { "targets": [{ "target": "10.0.0.1" }, { "target": "[::1]:8080", "weight": 0 },
                          { "target": "b:9", "weight": 65535 }],
              "algorithm": "least-connections", "host_header": "orders.internal:8443" }
            """
        )
        #expect(
            upstream
                == Upstream(
                    scheme: "http",
                    targets: [
                        Target(host: "10.0.0.1", port: 8000, weight: 100),
                        Target(host: "::1", port: 8080, weight: 0),
                        Target(host: "b", port: 9, weight: 65535),
                    ],
                    algorithm: .leastConnections,
                    path: "",
                    hostHeader: "orders.internal:8443"
                )
        )
        #expect(try self.upstream(#"{ "targets": [{ "target": "a" }] }"#).algorithm == .roundRobin)
        #expect(try self.upstream(#"{ "targets": [{ "target": "a" }] }"#).hostHeader == nil)
    }

    @Test func rejectsInvalidLongForms() {
        #expect(self.upstreamErrors("{}") == ["routes/orders.json: service.upstream.targets: is required"])
        #expect(
            self.upstreamErrors(#"{ "targets": [], "hash_on": "ip" }"#) == [
                "routes/orders.json: service.upstream.hash_on: unknown field; allowed fields are targets, algorithm, "
                    + "host_header",
                "routes/orders.json: service.upstream.targets: expected at least one target, got an empty array",
            ]
        )
        let upstream = """
            { "targets": [{ "target": "a b" }, { "target": "a:99999" }, { "target": "a", "weight": 65536 },
                          { "weight": 1 }, { "target": "a", "tags": [] }, "a:80"],
              "algorithm": "random", "host_header": "a:b" }
            """
        #expect(
            self.upstreamErrors(upstream) == [
                "routes/orders.json: service.upstream.algorithm: expected one of \"round-robin\", "
                    + "\"least-connections\", \"consistent-hashing\", \"latency\", got \"random\"",
                "routes/orders.json: service.upstream.host_header: expected a host name with an optional port, got "
                    + "\"a:b\"",
                "routes/orders.json: service.upstream.targets[0].target: expected \"host[:port]\" with a host name, "
                    + "IPv4 address or [IPv6] address, got \"a b\"",
                "routes/orders.json: service.upstream.targets[1].target: expected \"host[:port]\" with a port from 1 "
                    + "to 65535, got \"a:99999\"",
                "routes/orders.json: service.upstream.targets[2].weight: expected an integer from 0 to 65535, got "
                    + "65536",
                "routes/orders.json: service.upstream.targets[3].target: is required",
                "routes/orders.json: service.upstream.targets[4].tags: unknown field; allowed fields are target, "
                    + "weight",
                "routes/orders.json: service.upstream.targets[5]: expected an object, got \"a:80\"",
            ]
        )
    }
}
