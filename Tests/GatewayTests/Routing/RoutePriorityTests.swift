import Testing

@testable import Gateway

@Suite struct RoutePriorityTests {
    /// The priority of `route`'s first path, the route being at `index` in the configuration.
    private func priority(_ route: Route, index: Int = 0) throws -> RoutePriority {
        try RouteCandidate.compile(route, routeIndex: index)[0].priority
    }

    @Test func countsEachAttributeThatIsSet() throws {
        #expect(try self.priority(.fixture("r")).attributeCount == 0)
        #expect(try self.priority(.fixture("r", paths: ["/a"])).attributeCount == 1)
        let all = Route.fixture(
            "r", paths: ["/a"], methods: ["GET"], hosts: ["a.com"], headers: ["x": ["1"], "y": ["2"]]
        )
        #expect(try self.priority(all).attributeCount == 4)
        #expect(try self.priority(all).headerCount == 2)
    }

    @Test func moreAttributesComeFirst() throws {
        let methodsAndPath = try self.priority(.fixture("a", paths: ["/"], methods: ["GET"]), index: 1)
        let longRegex = try self.priority(.fixture("b", paths: ["~/orders/.*"], regexPriority: 100), index: 0)
        #expect(methodsAndPath < longRegex)
    }

    @Test func exactHostsComeBeforeWildcardHosts() throws {
        let wildcard = try self.priority(.fixture("a", paths: ["/long/prefix"], hosts: ["*.example.com"]), index: 0)
        let mixed = try self.priority(.fixture("b", paths: ["/long/prefix"], hosts: ["a.com", "*.b.com"]), index: 1)
        let exact = try self.priority(.fixture("c", paths: ["/"], hosts: ["api.example.com"]), index: 2)
        #expect(exact < wildcard)
        #expect(exact < mixed)
        #expect(!mixed.plainHostsOnly)
        #expect(try !self.priority(.fixture("d", paths: ["/"])).plainHostsOnly)
    }

    @Test func moreHeadersComeFirst() throws {
        let one = try self.priority(.fixture("a", paths: ["/long"], headers: ["x": ["1"]]), index: 0)
        let two = try self.priority(.fixture("b", paths: ["/"], headers: ["x": ["1"], "y": ["1"]]), index: 1)
        #expect(two < one)
    }

    @Test func regexComesBeforePrefixThenRegexPriorityThenLength() throws {
        let prefix = try self.priority(.fixture("a", paths: ["/a/very/long/prefix"]), index: 0)
        let regex = try self.priority(.fixture("b", paths: ["~/a"]), index: 1)
        let urgentRegex = try self.priority(.fixture("c", paths: ["~/a"], regexPriority: 5), index: 2)
        let shortPrefix = try self.priority(.fixture("d", paths: ["/a"]), index: 3)
        let sorted = [shortPrefix, prefix, regex, urgentRegex].sorted()
        #expect(sorted.map(\.routeIndex) == [2, 1, 0, 3])
    }

    @Test func regexPriorityIsIgnoredForPrefixPaths() throws {
        let prefix = Route.fixture("a", paths: ["/a"], regexPriority: 9)
        #expect(try self.priority(prefix).regexPriority == 0)
    }

    @Test func configurationOrderThenPathOrderBreakTies() throws {
        let route = Route.fixture("a", paths: ["/x", "/y"])
        let first = RoutePriority(route: route, routeIndex: 3, path: .prefix("/x"), pathIndex: 0)
        let second = RoutePriority(route: route, routeIndex: 3, path: .prefix("/y"), pathIndex: 1)
        let later = try self.priority(.fixture("b", paths: ["/z"]), index: 4)
        #expect([later, second, first].sorted().map(\.pathIndex) == [0, 1, 0])
        #expect([later, second, first].sorted().map(\.routeIndex) == [3, 3, 4])
    }
}
