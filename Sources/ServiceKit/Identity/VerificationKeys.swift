import JWT

/// A public key that may have signed a token: its key id, the algorithm it is for, and the key.
public struct VerificationKey: Sendable {
    /// `kid`.
    public let kid: String?
    /// The algorithm the key verifies (from the JWK's `alg`, else RS256 for RSA keys and ES256/384/512 by curve).
    public let algorithm: JWTAlgorithm
    /// The key.
    public let key: JWTKey

    /// A key from its parts.
    public init(kid: String?, algorithm: JWTAlgorithm, key: JWTKey) {
        self.kid = kid
        self.algorithm = algorithm
        self.key = key
    }

    /// The key a JWK describes, or `nil` for symmetric keys, non-signing keys, and keys OpenSSL cannot read.
    public init?(jwk: JWK) {
        guard jwk.kty == "RSA" || jwk.kty == "EC", jwk.use == nil || jwk.use == "sig",
            let key = try? JWTKey(jwk: jwk)
        else { return nil }
        let algorithm: JWTAlgorithm?
        if let name = jwk.alg {
            algorithm = JWTAlgorithm(name: name)
        } else if jwk.kty == "RSA" {
            algorithm = .rs256
        } else {
            algorithm = [.es256, .es384, .es512].first { $0.curveBits == key.bits }
        }
        guard let algorithm, algorithm.family != .hmac, key.fits(algorithm, forSigning: false) else { return nil }
        self.init(kid: jwk.kid, algorithm: algorithm, key: key)
    }
}

/// Where a service finds the keys that verify bearer tokens: the user service's JWKS (`JWKSKeys`), or, in the user
/// service itself, its own key ring.
public protocol VerificationKeys: Sendable {
    /// The keys that may have signed a token whose header names `kid` (every key when it names none). Fetches or
    /// reloads them first when needed, for example when `kid` is unknown.
    func keys(kid: String?) async throws -> [VerificationKey]
}
