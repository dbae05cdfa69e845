import Testing

@testable import Gateway

@Suite struct RouteCandidateTests {
    @Test func onePerPathOrOneForARouteWithoutPaths() throws {
        let candidates = try RouteCandidate.compile(.fixture("r", paths: ["/a", "~/b", "/c/d"]), routeIndex: 4)
        #expect(candidates.count == 3)
        #expect(candidates.map(\.routeIndex) == [4, 4, 4])
        #expect(candidates.map(\.priority.pathIndex) == [0, 1, 2])
        #expect(candidates.map(\.priority.prefixLength) == [2, 0, 4])
        #expect(try RouteCandidate.compile(.fixture("r", methods: ["GET"]), routeIndex: 0).count == 1)
    }

    @Test func prefixesAreNormalisedLikeRequestPaths() throws {
        let candidates = try RouteCandidate.compile(.fixture("r", paths: ["/%7eme/./x"]), routeIndex: 0)
        guard case .prefix(let prefix) = candidates[0].path else {
            Issue.record("expected a prefix")
            return
        }
        #expect(prefix == "/~me/x")
    }

    @Test func invalidRegexNamesTheRouteAndThePath() {
        #expect {
            try RouteCandidate.compile(.fixture("broken", paths: ["/ok", "~/a("]), routeIndex: 0)
        } throws: { error in
            guard let error = error as? RouterError, case .invalidRegex(let pattern, _) = error.reason else {
                return false
            }
            return error.route == "broken" && pattern == "/a(" && error.location.path == "routes[broken].paths[1]"
        }
    }

    @Test func prefixClimbingAboveTheRootIsAnError() {
        #expect {
            try RouteCandidate.compile(.fixture("up", paths: ["/../x"]), routeIndex: 0)
        } throws: { error in
            guard let error = error as? RouterError, case .invalidPrefix(let prefix, let reason) = error.reason else {
                return false
            }
            return prefix == "/../x" && reason == .climbsAboveRoot
        }
    }
}
