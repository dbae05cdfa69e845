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
            self.upstreamErrors(#"{ "targets": [], "tags": [] }"#) == [
                "routes/orders.json: service.upstream.tags: unknown field; allowed fields are targets, algorithm, "
                    + "host_header, hash_on, hash_fallback, hash_on_header, hash_fallback_header, hash_on_cookie, "
                    + "hash_on_cookie_path, hash_on_query_arg, hash_fallback_query_arg, slots, healthchecks",
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
                "routes/orders.json: service.upstream.targets[4]: expected a unique target, got a:8000 (already used at "
                    + "service.upstream.targets[2])",
                "routes/orders.json: service.upstream.targets[4].tags: unknown field; allowed fields are target, "
                    + "weight",
                "routes/orders.json: service.upstream.targets[5]: expected an object, got \"a:80\"",
            ]
        )
    }

    @Test func rejectsATargetListedTwice() {
        #expect(
            self.upstreamErrors(#"{ "targets": [{ "target": "a:80" }, { "target": "b" }, { "target": "a:80", "weight": 5 }] }"#)
                == ["routes/orders.json: service.upstream.targets[2]: expected a unique target, got a:80 "
                    + "(already used at service.upstream.targets[0])"]
        )
    }

    @Test func readsHashingInputsAsKongNamesThem() throws {
        let upstream = try self.upstream(
            #"{ "targets": [{ "target": "a" }], "algorithm": "consistent-hashing", "hash_on": "header", "#
                + #""hash_on_header": "X-User", "hash_fallback": "query_arg", "hash_fallback_query_arg": "u", "slots": 100 }"#
        )
        #expect(upstream.algorithm == .consistentHashing)
        #expect(upstream.hashOn == .header("X-User"))
        #expect(upstream.hashFallback == .queryArg("u"))
        #expect(upstream.slots == 100)
        let cookie = try self.upstream(#"{ "targets": [{ "target": "a" }], "hash_on": "cookie", "hash_on_cookie": "sticky" }"#)
        #expect(cookie.hashOn == .cookie(name: "sticky", path: "/"))
        #expect(try self.upstream(#"{ "targets": [{ "target": "a" }] }"#).hashOn == UpstreamHashInput.none)
    }

    @Test(arguments: [
        (#""hash_on": "header""#, "service.upstream.hash_on_header: is required when hash_on is \"header\""),
        (#""hash_on": "cookie""#, "service.upstream.hash_on_cookie: is required when hash_on is \"cookie\""),
        (#""hash_on": "query_arg""#, "service.upstream.hash_on_query_arg: is required when hash_on is \"query_arg\""),
        (#""hash_on": "none", "hash_fallback": "ip""#, "service.upstream.hash_fallback: expected \"none\" when hash_on is \"none\", got \"ip\""),
        (#""hash_on": "ip", "hash_fallback": "ip""#, "service.upstream.hash_fallback: expected an input other than hash_on's, got \"ip\""),
        (#""hash_on": "cookie", "hash_on_cookie": "c", "hash_fallback": "ip""#, "service.upstream.hash_fallback: expected \"none\" when hash_on is \"cookie\", got \"ip\""),
        (#""hash_on": "header", "hash_on_header": "A", "hash_fallback": "header", "hash_fallback_header": "a""#, "service.upstream.hash_fallback_header: expected a header other than hash_on_header's"),
        (#""hash_on": "uri_capture""#, "service.upstream.hash_on: expected one of \"none\", \"consumer\", \"ip\", \"header\", \"cookie\", \"path\", \"query_arg\", got \"uri_capture\""),
        (#""slots": 5"#, "service.upstream.slots: expected an integer from 10 to 65536, got 5"),
    ])
    func rejectsInconsistentHashing(fields: String, message: String) {
        #expect(self.upstreamErrors(#"{ "targets": [{ "target": "a" }], \#(fields) }"#) == ["routes/orders.json: " + message])
    }

    @Test func readsHealthchecksOverKongsDefaults() throws {
        let upstream = try self.upstream("""
            { "targets": [{ "target": "a" }], "healthchecks": {
                "active": { "type": "tcp", "timeout": 0.5, "http_path": "/health", "headers": { "X-Probe": "1" },
                            "healthy": { "interval": 5, "successes": 2 }, "unhealthy": { "interval": 1, "tcp_failures": 3 } },
                "passive": { "unhealthy": { "http_failures": 5, "http_statuses": [500, 502] } },
                "threshold": 25 } }
            """)
        let checks = upstream.healthchecks
        #expect(checks.active.type == .tcp)
        #expect(checks.active.timeout == 0.5)
        #expect(checks.active.concurrency == 10)
        #expect(checks.active.httpPath == "/health")
        #expect(checks.active.headers == ["X-Probe": ["1"]])
        #expect(checks.active.healthy == .init(interval: 5, httpStatuses: [200, 302], successes: 2))
        #expect(checks.active.unhealthy.interval == 1)
        #expect(checks.active.unhealthy.tcpFailures == 3)
        #expect(checks.active.unhealthy.httpStatuses == [429, 404, 500, 501, 502, 503, 504, 505])
        #expect(checks.passive.unhealthy == .init(httpStatuses: [500, 502], httpFailures: 5))
        #expect(checks.passive.healthy.successes == 0)
        #expect(checks.threshold == 25)
        #expect(checks.isEnabled)
        #expect(!(try self.upstream(#"{ "targets": [{ "target": "a" }] }"#)).healthchecks.isEnabled)
    }

    @Test func rejectsInvalidHealthchecks() {
        let upstream = """
            { "targets": [{ "target": "a" }], "healthchecks": {
                "active": { "type": "udp", "timeout": -1, "concurrency": 0, "http_path": "health",
                            "healthy": { "interval": "5", "http_statuses": [200, 1000] },
                            "unhealthy": { "tcp_failures": 256, "successes": 1 } },
                "passive": { "healthy": { "interval": 5 } },
                "threshold": 101, "extra": true } }
            """
        #expect(
            self.upstreamErrors(upstream) == [
                "routes/orders.json: service.upstream.healthchecks.active.concurrency: expected a positive integer, got 0",
                "routes/orders.json: service.upstream.healthchecks.active.healthy.http_statuses[1]: expected an HTTP status from 100 to 999, got 1000",
                "routes/orders.json: service.upstream.healthchecks.active.healthy.interval: expected a number of seconds from 0 to 65535, got \"5\"",
                "routes/orders.json: service.upstream.healthchecks.active.http_path: expected a path starting with /, got \"health\"",
                "routes/orders.json: service.upstream.healthchecks.active.timeout: expected a number of seconds from 0 to 65535, got -1",
                "routes/orders.json: service.upstream.healthchecks.active.type: expected one of \"http\", \"tcp\", got \"udp\"",
                "routes/orders.json: service.upstream.healthchecks.active.unhealthy.successes: unknown field; allowed fields are interval, http_statuses, tcp_failures, timeouts, http_failures",
                "routes/orders.json: service.upstream.healthchecks.active.unhealthy.tcp_failures: expected an integer from 0 to 255, got 256",
                "routes/orders.json: service.upstream.healthchecks.extra: unknown field; allowed fields are active, passive, threshold",
                "routes/orders.json: service.upstream.healthchecks.passive.healthy.interval: unknown field; allowed fields are http_statuses, successes",
                "routes/orders.json: service.upstream.healthchecks.threshold: expected a percentage from 0 to 100, got 101",
            ]
        )
    }
}
