import Gateway

/// Kong's `cors` schema: the allowed origins (plain origins, regexes, `*`), what a preflight answers, and what
/// other responses expose.
public struct CORSConfiguration: PluginConfiguration {
    /// Kong's default `methods`, every method it knows.
    public static let knownMethods = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"]

    /// The origins as written: none or `*` allows any; an entry with characters other than `A-Z a-z 0-9 . : / -`
    /// is a regex.
    public var origins: [String]
    /// `Access-Control-Allow-Methods` of a preflight.
    public var methods: [String]
    /// `Access-Control-Allow-Headers` of a preflight; empty echoes the request's `Access-Control-Request-Headers`.
    public var headers: [String]
    /// `Access-Control-Expose-Headers` of other responses; empty sends none.
    public var exposedHeaders: [String]
    /// `Access-Control-Max-Age` of a preflight, in seconds.
    public var maxAge: Double?
    /// Send `Access-Control-Allow-Credentials: true` (and the request's origin rather than `*`).
    public var credentials: Bool
    /// Answer `Access-Control-Request-Private-Network: true` with `Access-Control-Allow-Private-Network: true`.
    public var privateNetwork: Bool
    /// Let preflights through to the upstream instead of answering them.
    public var preflightContinue: Bool
    /// Add the headers to responses to requests without an `Origin` too.
    public var allowOriginAbsent: Bool
    /// `origins`, compiled.
    let originPolicy: CORSOriginPolicy

    public init(from reader: inout PluginConfigReader) {
        let origins = reader.indexedStrings("origins")
        self.origins = origins.map(\.value)
        self.originPolicy = CORSOriginPolicy(origins) { index, message in reader.fail("origins[\(index)]", message) }
        self.methods = Self.methods(&reader)
        self.headers = reader.strings("headers", default: [])
        self.exposedHeaders = reader.strings("exposed_headers", default: [])
        self.maxAge = Self.maxAge(&reader)
        self.credentials = reader.bool("credentials", default: false)
        self.privateNetwork = reader.bool("private_network", default: false)
        self.preflightContinue = reader.bool("preflight_continue", default: false)
        self.allowOriginAbsent = reader.bool("allow_origin_absent", default: true)
    }

    private static func methods(_ reader: inout PluginConfigReader) -> [String] {
        guard reader.value("methods") != nil else { return Self.knownMethods }
        var methods: [String] = []
        for (index, method) in reader.indexedStrings("methods") {
            guard Self.knownMethods.contains(method) else {
                let choices = Self.knownMethods.map { "\"\($0)\"" }.joined(separator: ", ")
                reader.fail("methods[\(index)]", "expected one of \(choices), got \"\(method)\"")
                continue
            }
            methods.append(method)
        }
        return methods
    }

    private static func maxAge(_ reader: inout PluginConfigReader) -> Double? {
        switch reader.value("max_age") {
        case nil: return nil
        case .integer(let seconds)?: return Double(seconds)
        case .number(let seconds)?: return seconds
        case let other?:
            reader.fail("max_age", "expected a number, got \(other.errorDescription)")
            return nil
        }
    }
}
