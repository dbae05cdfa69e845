/// A signing algorithm this module accepts.
///
/// `none` is deliberately not a case: an unsigned token is always refused.
public enum JWTAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// HMAC with SHA-256.
    case hs256 = "HS256"
    /// HMAC with SHA-384.
    case hs384 = "HS384"
    /// HMAC with SHA-512.
    case hs512 = "HS512"
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    case rs384 = "RS384"
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    case rs512 = "RS512"
    /// ECDSA on P-256 with SHA-256.
    case es256 = "ES256"
    /// ECDSA on P-384 with SHA-384.
    case es384 = "ES384"
    /// ECDSA on P-521 with SHA-512.
    case es512 = "ES512"

    /// The family of an algorithm, which decides the kind of key it takes.
    public enum Family: Sendable, Hashable {
        /// A shared secret (HS*).
        case hmac
        /// An RSA key pair (RS*).
        case rsa
        /// An elliptic-curve key pair (ES*).
        case ecdsa
    }

    /// The algorithm named by a JOSE `alg` value, case-sensitive as RFC 7515 requires; `nil` for `none` and
    /// anything unknown.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// The JOSE `alg` value, such as `HS256`.
    public var name: String { self.rawValue }

    /// The family of this algorithm.
    public var family: Family {
        switch self {
        case .hs256, .hs384, .hs512: .hmac
        case .rs256, .rs384, .rs512: .rsa
        case .es256, .es384, .es512: .ecdsa
        }
    }

    /// For ECDSA, the size in bits of the curve the algorithm requires (256, 384, 521); `nil` otherwise.
    public var curveBits: Int? {
        switch self {
        case .es256: 256
        case .es384: 384
        case .es512: 521
        default: nil
        }
    }
}
