import JWT

/// A token-signing key as stored: the private key signs while the key is current; the public one stays in the
/// key set until the last token it signed has expired.
public struct SigningKeyRecord: Sendable, Hashable {
    /// `kid`.
    public var kid: String
    /// `RS256` or `ES256`.
    public var algorithm: JWTAlgorithm
    /// PKCS#8 PEM.
    public var privatePEM: String
    /// The public key as published (with `kid`, `alg`, `use`).
    public var publicJWK: JWK
    /// Milliseconds since 1970.
    public var createdAt: Int64
    /// When a newer key replaced it (milliseconds since 1970); `nil` while it signs.
    public var retiredAt: Int64?

    /// A record from its fields.
    public init(
        kid: String, algorithm: JWTAlgorithm, privatePEM: String, publicJWK: JWK, createdAt: Int64, retiredAt: Int64?
    ) {
        self.kid = kid
        self.algorithm = algorithm
        self.privatePEM = privatePEM
        self.publicJWK = publicJWK
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    /// A new key pair for `algorithm` (RS256: RSA 2048; ES256: P-256) with a random `kid`.
    public static func generate(algorithm: JWTAlgorithm, now: Int64) throws -> SigningKeyRecord {
        let pair = algorithm == .es256 ? try JWTKeyPair.ec("P-256") : try JWTKeyPair.rsa()
        let kid = RandomToken.make(bytes: 12)
        var jwk = pair.jwk
        jwk.kid = kid
        jwk.alg = algorithm.name
        jwk.use = "sig"
        return SigningKeyRecord(
            kid: kid, algorithm: algorithm, privatePEM: pair.privatePEM, publicJWK: jwk, createdAt: now, retiredAt: nil)
    }
}
