/// The path sent upstream: the service's path joined with what is left of the request path, exactly as
/// Kong's default `path_handling = "v0"` joins them (`get_upstream_uri_v0` in `kong/router/utils.lua`).
///
/// With `strip_path`, examples for a request `/api/orders/12` to a route `/api/orders`:
/// `/v1` + `/12` → `/v1/12`, `/v1/` + `/12` → `/v1/12`, `` + `/12` → `/12`; for the request `/api/orders`,
/// `/v1` + `` → `/v1` and `` + `` → `/`. An empty service path is Kong's `/`.
public enum UpstreamPath {
    /// Joins `servicePath` (`Upstream.path`) and the request.
    ///
    /// - Parameters:
    ///   - servicePath: the service's path, `/v1`, `/v1/` or empty.
    ///   - forwardedPath: `RouteMatch.forwardedPath`: what follows the stripped part when `stripped`.
    ///   - requestPath: the whole normalised request path.
    ///   - stripped: whether the route stripped a matched path (`strip_path` on a route with paths).
    public static func join(
        servicePath: String,
        forwardedPath: Substring,
        requestPath: Substring,
        stripped: Bool
    ) -> String {
        let slash = UInt8(ascii: "/")
        let base = servicePath.isEmpty ? "/" : servicePath[...]
        if base.utf8.last == slash {
            guard stripped else { return self.concatenate(base, requestPath.dropFirst()) }
            if forwardedPath.isEmpty {
                if base == "/" { return "/" }
                return String(requestPath.utf8.last == slash ? base : base.dropLast())
            }
            if forwardedPath.utf8.first == slash { return self.concatenate(base.dropLast(), forwardedPath) }
            return self.concatenate(base, forwardedPath)
        }
        guard stripped else { return requestPath == "/" ? String(base) : self.concatenate(base, requestPath) }
        if forwardedPath.isEmpty {
            return requestPath.utf8.count > 1 && requestPath.utf8.last == slash
                ? self.concatenate(base, "/") : String(base)
        }
        if forwardedPath.utf8.first == slash { return self.concatenate(base, forwardedPath) }
        return self.concatenate(base, "/", forwardedPath)
    }

    private static func concatenate(_ first: Substring, _ second: Substring, _ third: Substring = "") -> String {
        var result = ""
        result.reserveCapacity(first.utf8.count + second.utf8.count + third.utf8.count)
        result += first
        result += second
        result += third
        return result
    }

    /// What remains of `path` after its first `strippedLength` bytes, less a leading `./` or `../` and
    /// nothing for a remainder `.` or `..` (Kong's `sanitize_uri_postfix`), so that a request `/api../x` on
    /// a route `/api` cannot climb out of the service's path upstream.
    static func remainder(of path: Substring, strippedLength: Int) -> Substring {
        let remainder = Substring(path.utf8.dropFirst(strippedLength))
        let utf8 = remainder.utf8
        if utf8.elementsEqual(".".utf8) || utf8.elementsEqual("..".utf8) { return remainder[remainder.endIndex...] }
        if utf8.starts(with: "./".utf8) { return Substring(utf8.dropFirst(2)) }
        if utf8.starts(with: "../".utf8) { return Substring(utf8.dropFirst(3)) }
        return remainder
    }
}
