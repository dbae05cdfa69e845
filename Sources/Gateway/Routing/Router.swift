import NIOHTTP1

/// The compiled routing table: every route's paths ordered by `RoutePriority` and indexed by host and path
/// once, at load, so that a request's lookup costs about the same for ten routes as for ten thousand.
///
/// A request's host selects at most one bucket of exact hosts (a dictionary), the wildcard buckets whose
/// pattern matches (few) and the bucket of routes without hosts; in each, the path trie yields the
/// candidates whose prefix starts the path, then regex paths and routes without paths are tried in priority
/// order until one cannot beat the best so far. The winner is the candidate that comes first in priority
/// order among those whose every attribute matches.
public struct Router: Sendable {
    private struct WildcardHost: Sendable {
        let pattern: HostPattern
        let index: PathIndex
    }

    private let routes: [Route]
    /// Every route's compiled paths, in priority order: a candidate's rank is its index here.
    private let candidates: [RouteCandidate]
    private let exactHosts: [Substring: PathIndex]
    private let wildcardHosts: [WildcardHost]
    private let anyHost: PathIndex
    /// Route indices in the order of each route's highest-priority candidate.
    private let priorityOrder: [Int]

    /// Compiles `routes`, given in configuration order: regexes, normalised prefixes, indexes.
    public init(routes: [Route]) throws(RouterError) {
        var candidates: [RouteCandidate] = []
        for (routeIndex, route) in routes.enumerated() {
            candidates += try RouteCandidate.compile(route, routeIndex: routeIndex)
        }
        candidates.sort { $0.priority < $1.priority }

        var exactRanks: [Substring: [Int32]] = [:]
        var wildcardPatterns: [HostPattern] = []
        var wildcardRanks: [HostPattern: [Int32]] = [:]
        var anyHostRanks: [Int32] = []
        for (rank, candidate) in candidates.enumerated() {
            let hosts = routes[candidate.routeIndex].hosts
            if hosts.isEmpty { anyHostRanks.append(Int32(rank)) }
            var patterns = Set<HostPattern>()
            for pattern in hosts.map(HostPattern.init) where patterns.insert(pattern).inserted {
                if case .exact(let name) = pattern {
                    exactRanks[name, default: []].append(Int32(rank))
                } else {
                    if wildcardRanks[pattern] == nil { wildcardPatterns.append(pattern) }
                    wildcardRanks[pattern, default: []].append(Int32(rank))
                }
            }
        }

        var listed = Set<Int>()
        var priorityOrder: [Int] = []
        for candidate in candidates where listed.insert(candidate.routeIndex).inserted {
            priorityOrder.append(candidate.routeIndex)
        }
        self.routes = routes
        self.candidates = candidates
        self.exactHosts = exactRanks.mapValues { PathIndex(ranks: $0, candidates: candidates) }
        self.wildcardHosts = wildcardPatterns.map { pattern in
            let index = PathIndex(ranks: wildcardRanks[pattern] ?? [], candidates: candidates)
            return WildcardHost(pattern: pattern, index: index)
        }
        self.anyHost = PathIndex(ranks: anyHostRanks, candidates: candidates)
        self.priorityOrder = priorityOrder
    }

    /// Routes in the order the router tries them, each once, at the place of its highest-priority path (for
    /// `acme routes` and the admin API).
    public var routesInPriorityOrder: [Route] { self.priorityOrder.map { self.routes[$0] } }

    /// The same order as indices into the routes the router was made with.
    public var routeIndicesInPriorityOrder: [Int] { self.priorityOrder }

    /// The route for a request, or nil (Kong answers 404 `no Route matched with those values`).
    ///
    /// - Parameters:
    ///   - method: the request method, as sent (methods are case-sensitive).
    ///   - host: the `Host` header (or the authority of an absolute request target), port included or not;
    ///     nil when the request has none, which only routes without `hosts` match.
    ///   - path: the path as `PathNormalizer.normalize` returns it, without the query string.
    ///   - headers: the request headers.
    public func match(method: String, host: String?, path: String, headers: HTTPHeaders) -> RouteMatch? {
        var contiguousPath = path
        let best = contiguousPath.withUTF8 { bytes in
            let request = RouteRequest(method: method, headers: headers, path: path[...], pathBytes: bytes)
            var best = BestCandidate()
            if let host {
                let key = HostPattern.requestKey(host)
                self.exactHosts[key]?.search(request, candidates: self.candidates, best: &best)
                for wildcard in self.wildcardHosts where wildcard.pattern.matches(key) {
                    wildcard.index.search(request, candidates: self.candidates, best: &best)
                }
            }
            self.anyHost.search(request, candidates: self.candidates, best: &best)
            return best
        }
        guard best.rank != .max else { return nil }
        let candidate = self.candidates[Int(best.rank)]
        let route = self.routes[candidate.routeIndex]
        let stripped: Bool
        if case .any = candidate.path { stripped = false } else { stripped = route.stripPath }
        return RouteMatch(
            route: route,
            routeIndex: candidate.routeIndex,
            path: path,
            forwardedPath: stripped
                ? UpstreamPath.remainder(of: path[...], strippedLength: best.matchedLength) : path[...],
            stripped: stripped
        )
    }
}
