/// A route the router cannot compile. The loader validates paths too; this is the router's own check.
public struct RouterError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable {
        /// A regex path that does not compile; `message` is the regex parser's.
        case invalidRegex(pattern: String, message: String)
        /// A prefix path that cannot be normalised (see `PathNormalizer`).
        case invalidPrefix(String, PathNormalizationError)
    }

    /// The name of the route.
    public let route: String
    /// Where the offending path is: the route's file and the JSON path of the path entry.
    public let location: ConfigLocation
    public let reason: Reason

    public var description: String { "\(self.location): \(self.reason.message)" }
}

extension RouterError.Reason {
    /// What is wrong, without where (the error's `location` says that).
    public var message: String {
        switch self {
        case .invalidRegex(let pattern, let message): return "invalid regex \"~\(pattern)\": \(message)"
        case .invalidPrefix(let prefix, let error): return "invalid path \"\(prefix)\": \(error)"
        }
    }
}
