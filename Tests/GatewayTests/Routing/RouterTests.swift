import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct RouterTests {
    /// The name of the route `routes` send the request to, or nil.
    private func route(
        _ routes: [Route],
        method: String = "GET",
        host: String? = "example.com",
        path: String,
        headers: HTTPHeaders = [:]
    ) throws -> String? {
        try Router(routes: routes).match(method: method, host: host, path: path, headers: headers)?.route.name
    }

    // MARK: Precedence

    @Test func higherRegexPriorityWinsAmongRegexPaths() throws {
        let routes: [Route] = [
            .fixture("low", paths: ["~/orders/.*"], regexPriority: 1),
            .fixture("high", paths: [#"~/orders/\d+"#], regexPriority: 2),
        ]
        #expect(try self.route(routes, path: "/orders/12") == "high")
        #expect(try self.route(routes, path: "/orders/abc") == "low")
    }

    @Test func configurationOrderBreaksTies() throws {
        let regexes: [Route] = [.fixture("first", paths: ["~/a.*"]), .fixture("second", paths: ["~/ab"])]
        #expect(try self.route(regexes, path: "/ab") == "first")
        let prefixes: [Route] = [.fixture("first", paths: ["/a"]), .fixture("second", paths: ["/a"])]
        #expect(try self.route(prefixes, path: "/a/b") == "first")
        #expect(try self.route(prefixes.reversed(), path: "/a/b") == "second")
    }

    @Test func moreMatchedAttributesWin() throws {
        let routes: [Route] = [
            .fixture("regex", paths: [#"~/api/orders/\d+"#], regexPriority: 100),
            .fixture("long", paths: ["/api/orders/12"]),
            .fixture("get", paths: ["/"], methods: ["GET"]),
        ]
        #expect(try self.route(routes, path: "/api/orders/12") == "get")
        #expect(try self.route(routes, method: "POST", path: "/api/orders/12") == "regex")
    }

    @Test func exactHostBeatsWildcardHost() throws {
        let routes: [Route] = [
            .fixture("wildcard", paths: ["/api/orders"], hosts: ["*.example.com"]),
            .fixture("trailing", paths: ["/api/orders"], hosts: ["api.*"]),
            .fixture("exact", paths: ["/"], hosts: ["api.example.com"]),
        ]
        #expect(try self.route(routes, host: "api.example.com", path: "/api/orders") == "exact")
        #expect(try self.route(routes, host: "www.example.com", path: "/api/orders") == "wildcard")
        #expect(try self.route(routes, host: "api.example.org", path: "/api/orders") == "trailing")
    }

    @Test func exactHostBeatsAnotherAttribute() throws {
        // Both have two attributes; hosts that are all exact come first.
        let routes: [Route] = [
            .fixture("methods", paths: ["/api/orders"], methods: ["GET"]),
            .fixture("host", paths: ["/"], hosts: ["example.com"]),
        ]
        #expect(try self.route(routes, path: "/api/orders") == "host")
    }

    @Test func moreHeadersWin() throws {
        let routes: [Route] = [
            .fixture("one", paths: ["/api/orders"], headers: ["x-a": ["1"]]),
            .fixture("two", paths: ["/"], headers: ["x-a": ["1"], "x-b": ["2"]]),
        ]
        #expect(try self.route(routes, path: "/api/orders", headers: ["X-A": "1", "X-B": "2"]) == "two")
        #expect(try self.route(routes, path: "/api/orders", headers: ["X-A": "1"]) == "one")
    }

    @Test func regexPathBeatsPrefixPathWithEqualAttributes() throws {
        let routes: [Route] = [.fixture("prefix", paths: ["/api/orders"]), .fixture("regex", paths: ["~/api"])]
        #expect(try self.route(routes, path: "/api/orders/1") == "regex")
        #expect(try self.route(routes, path: "/other") == nil)
    }

    @Test func longestPrefixWins() throws {
        let routes: [Route] = [
            .fixture("root", paths: ["/"]),
            .fixture("api", paths: ["/api"]),
            .fixture("orders", paths: ["/api/orders"]),
        ]
        #expect(try self.route(routes, path: "/api/orders/12") == "orders")
        #expect(try self.route(routes, path: "/api/users") == "api")
        #expect(try self.route(routes, path: "/apis") == "api")
        #expect(try self.route(routes, path: "/health") == "root")
    }

    @Test func eachPathOfARouteHasItsOwnPriority() throws {
        let routes: [Route] = [
            .fixture("both", paths: ["/", "/very/long"]),
            .fixture("middle", paths: ["/very"]),
        ]
        #expect(try self.route(routes, path: "/very/long/x") == "both")
        #expect(try self.route(routes, path: "/very/x") == "middle")
        #expect(try self.route(routes, path: "/x") == "both")
    }

    @Test func methodsAndHeadersFilterCandidates() throws {
        let routes: [Route] = [
            .fixture("write", paths: ["/api/orders"], methods: ["POST", "PUT"]),
            .fixture("beta", paths: ["/api/orders"], headers: ["x-beta": ["on"]]),
            .fixture("read", paths: ["/api/orders"]),
        ]
        #expect(try self.route(routes, method: "POST", path: "/api/orders") == "write")
        #expect(try self.route(routes, method: "GET", path: "/api/orders", headers: ["X-Beta": "ON"]) == "beta")
        #expect(try self.route(routes, method: "GET", path: "/api/orders", headers: ["X-Beta": "off"]) == "read")
        #expect(try self.route(routes, method: "DELETE", path: "/api/orders") == "read")
    }

    @Test func routesInPriorityOrderListsEachRouteOnceWhereItsBestPathStands() throws {
        let router = try Router(routes: [
            .fixture("root", paths: ["/"]),
            .fixture("two", paths: ["/a", "/a/b/c"]),
            .fixture("regex", paths: ["~/r"], regexPriority: 1),
            .fixture("host", paths: ["/"], hosts: ["a.com"]),
            .fixture("regex0", paths: ["~/s"]),
        ])
        #expect(router.routesInPriorityOrder.map(\.name) == ["host", "regex", "regex0", "two", "root"])
    }

    // MARK: Hosts

    @Test func hostsMatchWithoutPortAndCaseInsensitively() throws {
        let routes: [Route] = [.fixture("api", hosts: ["api.example.com"])]
        #expect(try self.route(routes, host: "api.example.com", path: "/") == "api")
        #expect(try self.route(routes, host: "API.Example.com:8000", path: "/") == "api")
        #expect(try self.route(routes, host: "api.example.com.", path: "/") == nil)
        #expect(try self.route(routes, host: "example.com", path: "/") == nil)
        #expect(try self.route(routes, host: nil, path: "/") == nil)
    }

    @Test func wildcardHostsMatchWithPort() throws {
        let routes: [Route] = [
            .fixture("leading", paths: ["/"], hosts: ["*.example.com"]),
            .fixture("trailing", paths: ["/"], hosts: ["shop.*"]),
        ]
        #expect(try self.route(routes, host: "a.example.com:443", path: "/") == "leading")
        #expect(try self.route(routes, host: "Shop.Example.org:8080", path: "/") == "trailing")
        #expect(try self.route(routes, host: "example.com", path: "/") == nil)
    }

    @Test func routeWithSeveralHostsMatchesAnyOfThem() throws {
        let routes: [Route] = [.fixture("multi", paths: ["/"], hosts: ["a.com", "b.com", "*.c.com"])]
        for host in ["a.com", "b.com:81", "x.c.com"] {
            #expect(try self.route(routes, host: host, path: "/x") == "multi")
        }
        #expect(try self.route(routes, host: "d.com", path: "/x") == nil)
    }

    @Test func requestWithoutHostMatchesOnlyRoutesWithoutHosts() throws {
        let routes: [Route] = [.fixture("hosted", paths: ["/"], hosts: ["a.com"]), .fixture("open", paths: ["/"])]
        #expect(try self.route(routes, host: nil, path: "/x") == "open")
        #expect(try self.route(routes, host: "a.com", path: "/x") == "hosted")
        #expect(try self.route(routes, host: "[::1]:8000", path: "/x") == "open")
    }

    // MARK: Paths and stripping

    @Test func noMatchIsNil() throws {
        #expect(try self.route([.fixture("api", paths: ["/api"])], path: "/other") == nil)
        #expect(try self.route([], path: "/") == nil)
    }

    @Test func regexStripRemovesTheMatchedPart() throws {
        let router = try Router(routes: [.fixture("order", paths: [#"~/orders/\d+"#])])
        let match = try #require(router.match(method: "GET", host: nil, path: "/orders/12/items", headers: [:]))
        #expect(match.forwardedPath == "/items")
        #expect(match.upstreamPath(servicePath: "/v2") == "/v2/items")
    }

    @Test func prefixStripFollowsKong() throws {
        let router = try Router(routes: [.fixture("orders", paths: ["/api/orders"])])
        let cases: [(String, String)] = [("/api/orders/12", "/12"), ("/api/orders", ""), ("/api/orders12", "12")]
        for (path, forwarded) in cases {
            let match = try #require(router.match(method: "GET", host: nil, path: path, headers: [:]))
            #expect(match.forwardedPath == forwarded[...])
            #expect(match.routeIndex == 0)
        }
    }

    @Test func doubleSlashesAreKeptAndMatchedAsWritten() throws {
        let router = try Router(routes: [.fixture("api", paths: ["/api/"])])
        let match = try #require(router.match(method: "GET", host: nil, path: "/api//orders", headers: [:]))
        #expect(match.forwardedPath == "/orders")
        #expect(router.match(method: "GET", host: nil, path: "//api/", headers: [:]) == nil)
    }

    @Test func prefixesAreNormalisedLikeRequests() throws {
        let routes: [Route] = [.fixture("tilde", paths: ["/%7Euser"])]
        #expect(try self.route(routes, path: try PathNormalizer.normalize("/%7euser/x")) == "tilde")
    }

    @Test func invalidRegexFailsTheWholeTable() {
        let routes: [Route] = [.fixture("ok", paths: ["/"]), .fixture("bad", paths: ["~("])]
        #expect(throws: RouterError.self) { try Router(routes: routes) }
    }

    @Test func routeIndexIsTheConfigurationIndex() throws {
        let router = try Router(routes: [.fixture("a", paths: ["/a"]), .fixture("b", paths: ["/b"], methods: ["GET"])])
        #expect(router.match(method: "GET", host: nil, path: "/b", headers: [:])?.routeIndex == 1)
        #expect(router.match(method: "GET", host: nil, path: "/a", headers: [:])?.routeIndex == 0)
    }

    // MARK: Scale

    @Test func tenThousandPrefixRoutesMatchTheLastOne() throws {
        let routes = (0..<10_000).map { Route.fixture("route-\($0)", paths: ["/service-\($0)/items"]) }
        let router = try Router(routes: routes)
        let match = try #require(router.match(method: "GET", host: nil, path: "/service-9999/items/42", headers: [:]))
        #expect(match.route.name == "route-9999")
        #expect(match.routeIndex == 9_999)
        #expect(match.forwardedPath == "/42")
        #expect(router.match(method: "GET", host: nil, path: "/service-10000/items", headers: [:]) == nil)
        #expect(router.match(method: "GET", host: nil, path: "/service-999/items", headers: [:])?.routeIndex == 999)
    }

    @Test func tenThousandHostRoutesMatchTheLastOne() throws {
        let routes = (0..<10_000).map {
            Route.fixture("host-\($0)", paths: ["/"], hosts: ["tenant-\($0).example.com"])
        }
        let router = try Router(routes: routes)
        let match = router.match(method: "GET", host: "tenant-9999.example.com:8000", path: "/x", headers: [:])
        #expect(match?.routeIndex == 9_999)
        #expect(router.match(method: "GET", host: "tenant-10000.example.com", path: "/x", headers: [:]) == nil)
    }
}
