/// A route's path compiled for matching.
enum RoutePath: Sendable {
    /// The route has no paths: any path matches and nothing is stripped.
    case any
    /// A prefix, normalised like request paths.
    case prefix(String)
    case regex(PathRegex)
}

/// One path of one route, compiled: the unit the router indexes, orders and tries.
struct RouteCandidate: Sendable {
    /// The route's index in configuration order.
    let routeIndex: Int
    let path: RoutePath
    let filter: RouteFilter
    let priority: RoutePriority

    /// The candidates of `route`: one per path, or one matching any path when it has none.
    static func compile(_ route: Route, routeIndex: Int) throws(RouterError) -> [RouteCandidate] {
        let filter = RouteFilter(route: route)
        guard !route.paths.isEmpty else {
            let priority = RoutePriority(route: route, routeIndex: routeIndex, path: .any, pathIndex: 0)
            return [RouteCandidate(routeIndex: routeIndex, path: .any, filter: filter, priority: priority)]
        }
        var candidates: [RouteCandidate] = []
        for (pathIndex, pattern) in route.paths.enumerated() {
            let path = try self.compile(pattern, of: route, pathIndex: pathIndex)
            let priority = RoutePriority(route: route, routeIndex: routeIndex, path: path, pathIndex: pathIndex)
            candidates.append(RouteCandidate(routeIndex: routeIndex, path: path, filter: filter, priority: priority))
        }
        return candidates
    }

    private static func compile(_ pattern: PathPattern, of route: Route, pathIndex: Int) throws(RouterError)
        -> RoutePath
    {
        let location = ConfigLocation(file: route.location.file, path: "\(route.location.path).paths[\(pathIndex)]")
        switch pattern {
        case .prefix(let prefix):
            do {
                return .prefix(try PathNormalizer.normalize(Substring(prefix)))
            } catch {
                throw RouterError(route: route.name, location: location, reason: .invalidPrefix(prefix, error))
            }
        case .regex(let expression):
            do {
                return .regex(try PathRegex(expression))
            } catch {
                let reason = RouterError.Reason.invalidRegex(pattern: expression, message: "\(error)")
                throw RouterError(route: route.name, location: location, reason: reason)
            }
        }
    }
}
