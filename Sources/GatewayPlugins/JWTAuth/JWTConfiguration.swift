import Gateway
import JWT

/// Kong's `jwt` schema, and beyond it verification against a JSON Web Key Set (`jwks_url`) with `issuer`,
/// `audience` and `leeway` checks.
public struct JWTConfiguration: PluginConfiguration {
    /// Query parameters that may carry the token (`jwt`).
    public var uriParamNames: [String]
    public var cookieNames: [String]
    /// Headers that may carry `Bearer <token>` (`authorization`), lowercased.
    public var headerNames: [String]
    /// The claim (or header member) naming the consumer's credential (`iss`).
    public var keyClaimName: String
    /// Credentials' HMAC secrets are base64; tokens are signed with the decoded bytes.
    public var secretIsBase64: Bool
    /// Registered claims that must be present and hold (`exp`, `nbf`), in the order given.
    public var claimsToVerify: [String]
    /// When above 0, `exp` may lie at most this many seconds ahead.
    public var maximumExpiration: Double
    public var runOnPreflight: Bool
    /// The consumer (username or custom id) a request without a valid token falls back to.
    public var anonymous: String?
    /// The realm named in `WWW-Authenticate`.
    public var realm: String?

    /// The key set tokens are verified against instead of consumers' credentials.
    public var jwksURL: String?
    /// With `jwks_url`: how long fetched keys are used before they are fetched again (seconds).
    public var jwksCacheTTL: Double
    /// With `jwks_url`: a token naming an unknown `kid` fetches the set again at most this often (seconds).
    public var jwksRefetchInterval: Double
    /// With `jwks_url`: the algorithms tokens may use (asymmetric ones only).
    public var jwksAlgorithms: [JWTAlgorithm]
    /// When set, `iss` must equal it.
    public var issuer: String?
    /// When set, `aud` must contain it.
    public var audience: String?
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    public var leeway: Double
    /// The claims the caller's id, scopes and groups are read from, with `jwks_url`.
    public var subjectClaim: String
    public var scopeClaim: String
    public var groupsClaim: String

    private static let asymmetric: [JWTAlgorithm] = JWTAlgorithm.allCases.filter { $0.family != .hmac }

    public init(from reader: inout PluginConfigReader) {
        self.uriParamNames = reader.strings("uri_param_names", default: ["jwt"])
        self.cookieNames = reader.strings("cookie_names", default: [])
        self.headerNames = reader.strings("header_names", default: ["authorization"]).map { $0.lowercased() }
        self.keyClaimName = reader.string("key_claim_name", default: "iss")
        if self.keyClaimName.isEmpty { reader.fail("key_claim_name", "expected a non-empty string, got \"\"") }
        self.secretIsBase64 = reader.bool("secret_is_base64", default: false)
        var claims: [String] = []
        for claim in reader.strings("claims_to_verify", default: []) where !claims.contains(claim) {
            guard claim == "exp" || claim == "nbf" else {
                reader.fail("claims_to_verify", "expected \"exp\" or \"nbf\" in each entry, got \"\(claim)\"")
                continue
            }
            claims.append(claim)
        }
        self.claimsToVerify = claims
        self.maximumExpiration = Double(reader.integer("maximum_expiration", in: 0...31_536_000, default: 0) ?? 0)
        if self.maximumExpiration > 0, !claims.contains("exp") {
            reader.fail("claims_to_verify", "must contain \"exp\" when maximum_expiration is above 0")
        }
        self.runOnPreflight = reader.bool("run_on_preflight", default: true)
        self.anonymous = Self.optional(reader.string("anonymous", default: ""))
        self.realm = Self.optional(reader.string("realm", default: ""))

        self.jwksURL = Self.optional(reader.string("jwks_url", default: ""))
        if let url = self.jwksURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            reader.fail("jwks_url", "expected an http:// or https:// URL, got \"\(url)\"")
        }
        self.jwksCacheTTL = Double(reader.integer("jwks_cache_ttl", in: 1...86_400, default: 300) ?? 300)
        self.jwksRefetchInterval = Double(reader.integer("jwks_refetch_interval", in: 0...3_600, default: 30) ?? 30)
        var algorithms: [JWTAlgorithm] = []
        for name in reader.strings("jwks_algorithms", default: Self.asymmetric.map(\.name)) {
            guard let algorithm = JWTAlgorithm(name: name), algorithm.family != .hmac else {
                let allowed = Self.asymmetric.map(\.name).joined(separator: ", ")
                reader.fail("jwks_algorithms", "expected one of \(allowed) in each entry, got \"\(name)\"")
                continue
            }
            algorithms.append(algorithm)
        }
        self.jwksAlgorithms = algorithms
        self.issuer = Self.optional(reader.string("issuer", default: ""))
        self.audience = Self.optional(reader.string("audience", default: ""))
        self.leeway = Double(reader.integer("leeway", in: 0...86_400, default: 0) ?? 0)
        self.subjectClaim = reader.string("subject_claim", default: "sub")
        self.scopeClaim = reader.string("scope_claim", default: "scope")
        self.groupsClaim = reader.string("groups_claim", default: "groups")
    }

    private static func optional(_ string: String) -> String? {
        string.isEmpty ? nil : string
    }
}
