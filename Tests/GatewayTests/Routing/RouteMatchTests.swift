import Testing

@testable import Gateway

@Suite struct RouteMatchTests {
    private func match(_ route: Route, path: String) throws -> RouteMatch {
        try #require(try Router(routes: [route]).match(method: "GET", host: nil, path: path, headers: [:]))
    }

    @Test func strippedMatchJoinsTheRemainderToTheServicePath() throws {
        let match = try self.match(.fixture("orders", paths: ["/api/orders"]), path: "/api/orders/12")
        #expect(match.stripped)
        #expect(match.forwardedPath == "/12")
        #expect(match.upstreamPath(servicePath: "/v1") == "/v1/12")
        #expect(match.upstreamPath(servicePath: "") == "/12")
    }

    @Test func unstrippedMatchForwardsTheWholePath() throws {
        let match = try self.match(.fixture("orders", paths: ["/api/orders"], stripPath: false), path: "/api/orders/12")
        #expect(!match.stripped)
        #expect(match.forwardedPath == "/api/orders/12")
        #expect(match.upstreamPath(servicePath: "/v1") == "/v1/api/orders/12")
    }

    @Test func routeWithoutPathsStripsNothing() throws {
        let match = try self.match(.fixture("all", methods: ["GET"]), path: "/x")
        #expect(!match.stripped)
        #expect(match.forwardedPath == "/x")
        #expect(match.upstreamPath(servicePath: "/v1") == "/v1/x")
    }

    @Test func exactMatchLeavesAnEmptyRemainder() throws {
        let match = try self.match(.fixture("orders", paths: ["/api/orders"]), path: "/api/orders")
        #expect(match.forwardedPath == "")
        #expect(match.upstreamPath(servicePath: "/v1") == "/v1")
        #expect(match.upstreamPath(servicePath: "") == "/")
    }
}
