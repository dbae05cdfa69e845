/// The route a request matched, and the path to forward.
public struct RouteMatch: Sendable {
    public let route: Route
    /// The route's index in configuration order (`GatewayConfiguration.routes`).
    public let routeIndex: Int
    /// The normalised request path the route matched.
    public let path: String
    /// With `strip_path` on a route with paths, what follows the matched prefix or regex match (possibly
    /// empty: `/api/orders` on a route `/api/orders`); otherwise the whole path.
    public let forwardedPath: Substring
    /// Whether `forwardedPath` is what remains after stripping the matched path.
    public let stripped: Bool

    /// The path to send upstream for a service whose path is `servicePath` (`Upstream.path`), joined as
    /// Kong's `path_handling = "v0"` does (see `UpstreamPath`). The caller appends the query string.
    public func upstreamPath(servicePath: String) -> String {
        UpstreamPath.join(
            servicePath: servicePath,
            forwardedPath: self.forwardedPath,
            requestPath: self.path[...],
            stripped: self.stripped
        )
    }
}
