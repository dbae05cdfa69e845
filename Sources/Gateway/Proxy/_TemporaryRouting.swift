import NIOHTTP1
// TEMPORARY until the router branch merges.
public struct PathNormalizationError: Error {}
public enum PathNormalizer {
    public static func normalize(_ path: Substring) -> Result<String, PathNormalizationError> { .success(String(path)) }
}
public struct RouteMatch: Sendable { public let route: Route; public let routeIndex: Int; public let forwardedPath: String }
public struct Router: Sendable {
    let routes: [Route]
    public init(routes: [Route]) throws { self.routes = routes }
    public var routesInPriorityOrder: [Route] { self.routes }
    public func match(method: String, host: String?, path: String, headers: HTTPHeaders) -> RouteMatch? {
        for (index, route) in self.routes.enumerated() {
            for case .prefix(let prefix) in route.paths where path.hasPrefix(prefix) {
                return RouteMatch(route: route, routeIndex: index, forwardedPath: route.stripPath ? String(path.dropFirst(prefix.count)) : path)
            }
        }
        return nil
    }
}
enum PathJoining {
    static func join(_ a: String, _ b: String) -> String { let r = a + b; return r.isEmpty ? "/" : r }
}
public struct ConfigError: Error, CustomStringConvertible { public var description: String }
public struct ConfigErrors: Error { public var errors: [ConfigError] }
public struct ConfigLoader {
    public init(directory: String) {}
    public func load() throws -> GatewayConfiguration { GatewayConfiguration() }
}
