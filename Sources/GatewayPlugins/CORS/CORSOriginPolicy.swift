import Gateway

/// Kong's cors `origins`, compiled at load: which `Access-Control-Allow-Origin` a request's `Origin` gets.
struct CORSOriginPolicy: Sendable {
    /// An origin of a list: a plain one, compared with the request's origin once both are normalised, or a regex.
    enum Matcher: Sendable {
        case origin(String)
        /// Kong's rewrite of the entry (`$` appended, a leading `^` dropped) matched from the start of the request
        /// origin's host (an entry without a colon) or of its normalised origin.
        case regex(PathRegex, byHost: Bool)

        func matches(_ origin: CORSOrigin) -> Bool {
            switch self {
            case .origin(let domain):
                return origin.domain == domain
            case .regex(let regex, let byHost):
                return regex.prefixMatchLength(in: byHost ? origin.host : origin.domain) != nil
            }
        }
    }

    enum Rule: Sendable {
        /// No origins, or just `*`: `*` for everyone.
        case any
        /// One plain origin: sent as configured, whatever the request's origin.
        case single(String)
        /// Several origins, or a regex: the request's normalised origin when one matches it; `*` for any request
        /// with an origin when the list has `*`.
        case list(hasWildcard: Bool, [Matcher])
    }

    let rule: Rule

    /// Compiles `origins` (with their indexes in the configuration), reporting entries that are neither `*`, a
    /// plain origin nor a valid regex through `fail(index, message)`.
    init(_ origins: [(index: Int, value: String)], fail: (Int, String) -> Void) {
        if origins.isEmpty || (origins.count == 1 && origins[0].value == "*") {
            self.rule = .any
            return
        }
        if origins.count == 1, Self.isPlain(origins[0].value) {
            self.rule = .single(origins[0].value)
            return
        }
        var hasWildcard = false
        var matchers: [Matcher] = []
        for (index, origin) in origins {
            if origin == "*" {
                hasWildcard = true
            } else if origin.isEmpty {
                fail(index, "expected an origin or a regex, got \"\"")
            } else if Self.isPlain(origin) {
                matchers.append(.origin(String(CORSOrigin(origin).domain)))
            } else {
                var pattern = origin.hasPrefix("^") ? String(origin.dropFirst()) : origin
                if !pattern.hasSuffix("$") { pattern += "$" }
                guard let regex = try? PathRegex(pattern) else {
                    fail(index, "'\(origin)' is not a valid regex")
                    continue
                }
                matchers.append(.regex(regex, byHost: !origin.contains(":")))
            }
        }
        self.rule = .list(hasWildcard: hasWildcard, matchers)
    }

    /// Whether `origin` is written with `A-Z`, `a-z`, `0-9`, `.`, `:`, `/` and `-` only, which Kong takes for a
    /// plain origin rather than a regex.
    static func isPlain(_ origin: String) -> Bool {
        !origin.isEmpty && origin.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"),
                UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
