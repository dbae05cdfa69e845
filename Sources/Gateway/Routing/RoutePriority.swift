/// Where one path of a route (or a route without paths) stands in the order the router tries routes.
///
/// This is the order of Kong's default `traditional_compatible` router, whose `get_priority` in
/// `kong/router/transform.lua` packs these keys into one 64-bit number, most significant first; Kong also
/// splits a route into one entry per path group (`split_routes_and_services_by_path`), so each path of a
/// route has its own priority. Between two entries, the one tried first is the one with:
///
/// 1. more attributes set, counting each of `methods`, `hosts`, `headers` and `paths` that is not empty;
/// 2. then hosts that are all exact (no `*`), over wildcard hosts or no hosts;
/// 3. then more headers (names in `headers`);
/// 4. then a regex path, over a prefix path or no path;
/// 5. then, between regex paths, the higher `regex_priority`;
/// 6. then, between prefix paths, the longer prefix (in bytes);
/// 7. then the route that comes first in configuration order, then the path that comes first in the route.
///
/// Kong leaves ties after step 6 undefined (the order of route ids); step 7 makes the order total and
/// predictable. A request is routed to the first entry in this order that it matches.
struct RoutePriority: Comparable, Sendable {
    let attributeCount: Int
    let plainHostsOnly: Bool
    let headerCount: Int
    let isRegex: Bool
    let regexPriority: Int
    let prefixLength: Int
    let routeIndex: Int
    let pathIndex: Int

    /// The priority of `route`'s path at `pathIndex` (`path` nil for a route without paths, index 0).
    init(route: Route, routeIndex: Int, path: RoutePath, pathIndex: Int) {
        let attributes = [!route.methods.isEmpty, !route.hosts.isEmpty, !route.headers.isEmpty, !route.paths.isEmpty]
        self.attributeCount = attributes.filter { $0 }.count
        self.plainHostsOnly = !route.hosts.isEmpty && !route.hosts.contains { HostPattern($0).isWildcard }
        self.headerCount = route.headers.count
        switch path {
        case .any:
            self.isRegex = false
            self.regexPriority = 0
            self.prefixLength = 0
        case .prefix(let prefix):
            self.isRegex = false
            self.regexPriority = 0
            self.prefixLength = prefix.utf8.count
        case .regex:
            self.isRegex = true
            self.regexPriority = route.regexPriority
            self.prefixLength = 0
        }
        self.routeIndex = routeIndex
        self.pathIndex = pathIndex
    }

    /// Whether `lhs` is tried before `rhs`.
    static func < (lhs: RoutePriority, rhs: RoutePriority) -> Bool {
        if lhs.attributeCount != rhs.attributeCount { return lhs.attributeCount > rhs.attributeCount }
        if lhs.plainHostsOnly != rhs.plainHostsOnly { return lhs.plainHostsOnly }
        if lhs.headerCount != rhs.headerCount { return lhs.headerCount > rhs.headerCount }
        if lhs.isRegex != rhs.isRegex { return lhs.isRegex }
        if lhs.regexPriority != rhs.regexPriority { return lhs.regexPriority > rhs.regexPriority }
        if lhs.prefixLength != rhs.prefixLength { return lhs.prefixLength > rhs.prefixLength }
        if lhs.routeIndex != rhs.routeIndex { return lhs.routeIndex < rhs.routeIndex }
        return lhs.pathIndex < rhs.pathIndex
    }
}
