/// What the `consistent-hashing` algorithm hashes to choose a target (Kong's `hash_on` and `hash_fallback`).
public enum UpstreamHashInput: Sendable, Hashable, CustomStringConvertible {
    /// Nothing: the upstream is balanced as if by round-robin.
    case none
    /// The authenticated consumer's username, or the token's subject.
    case consumer
    /// The client's address (after `--trusted-ips`).
    case ip
    /// A request header's value.
    case header(String)
    /// A cookie's value; when the request has none, the gateway makes one and sets it on the response (`path` is its
    /// `Path`), so the client sticks to its target from then on.
    case cookie(name: String, path: String)
    /// The normalised request path.
    case path
    /// A query argument's value.
    case queryArg(String)

    /// Kong's name for the input.
    public var description: String {
        switch self {
        case .none: return "none"
        case .consumer: return "consumer"
        case .ip: return "ip"
        case .header: return "header"
        case .cookie: return "cookie"
        case .path: return "path"
        case .queryArg: return "query_arg"
        }
    }

    /// Kong's names, as configuration files spell them.
    static let names = ["none", "consumer", "ip", "header", "cookie", "path", "query_arg"]
}
