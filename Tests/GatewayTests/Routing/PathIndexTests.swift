import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct PathIndexTests {
    /// The candidates of `routes` in priority order, and an index of all of them.
    private func index(_ routes: [Route]) throws -> (PathIndex, [RouteCandidate]) {
        var candidates: [RouteCandidate] = []
        for (index, route) in routes.enumerated() {
            candidates += try RouteCandidate.compile(route, routeIndex: index)
        }
        candidates.sort { $0.priority < $1.priority }
        let ranks = candidates.indices.map { Int32($0) }
        return (PathIndex(ranks: ranks, candidates: candidates), candidates)
    }

    private func search(
        _ index: PathIndex,
        _ candidates: [RouteCandidate],
        method: String = "GET",
        path: String,
        below bound: Int32 = .max
    ) -> (route: Int, length: Int)? {
        var best = BestCandidate(rank: bound, matchedLength: 0)
        var bytes = path
        bytes.withUTF8 { pathBytes in
            let request = RouteRequest(method: method, headers: [:], path: path[...], pathBytes: pathBytes)
            index.search(request, candidates: candidates, best: &best)
        }
        guard best.rank != bound else { return nil }
        return (candidates[Int(best.rank)].routeIndex, best.matchedLength)
    }

    @Test func findsPrefixRegexAndPathlessCandidates() throws {
        let (index, candidates) = try self.index([
            .fixture("prefix", paths: ["/api"]),
            .fixture("regex", paths: [#"~/items/\d+"#]),
            .fixture("any", methods: ["DELETE"]),
        ])
        #expect(self.search(index, candidates, path: "/api/x")! == (0, 4))
        #expect(self.search(index, candidates, path: "/items/42/x")! == (1, 9))
        #expect(self.search(index, candidates, method: "DELETE", path: "/other")! == (2, 0))
        #expect(self.search(index, candidates, path: "/other") == nil)
    }

    @Test func skipsCandidatesTheFilterRejects() throws {
        let (index, candidates) = try self.index([
            .fixture("post", paths: ["/api/orders"], methods: ["POST"]),
            .fixture("fallback", paths: ["/api"]),
        ])
        #expect(self.search(index, candidates, method: "POST", path: "/api/orders")! == (0, 11))
        #expect(self.search(index, candidates, method: "GET", path: "/api/orders")! == (1, 4))
    }

    @Test func neverReturnsACandidateThatDoesNotBeatTheBound() throws {
        let (index, candidates) = try self.index([.fixture("a", paths: ["/a"]), .fixture("b", paths: ["/"])])
        #expect(self.search(index, candidates, path: "/a", below: 1)! == (0, 2))
        #expect(self.search(index, candidates, path: "/a", below: 0) == nil)
    }
}
