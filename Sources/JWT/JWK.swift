/// A JSON Web Key (RFC 7517) as found in a JWKS document; unknown members are ignored.
public struct JWK: Sendable, Hashable, Codable {
    /// Key type: `RSA`, `EC` or `oct`.
    public var kty: String
    /// Key ID, matched against a token's `kid`.
    public var kid: String?
    /// The algorithm the key is meant for, if the publisher says.
    public var alg: String?
    /// Intended use, `sig` for signing keys.
    public var use: String?
    /// RSA modulus, base64url.
    public var n: String?
    /// RSA public exponent, base64url.
    public var e: String?
    /// EC curve: `P-256`, `P-384` or `P-521`.
    public var crv: String?
    /// EC x coordinate, base64url.
    public var x: String?
    /// EC y coordinate, base64url.
    public var y: String?
    /// Symmetric key, base64url.
    public var k: String?

    /// Creates a JWK from its members.
    public init(
        kty: String, kid: String? = nil, alg: String? = nil, use: String? = nil, n: String? = nil,
        e: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil, k: String? = nil
    ) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.use = use
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
        self.k = k
    }

    /// The public key as SubjectPublicKeyInfo PEM, built by OpenSSL from `n`/`e` (RSA) or `crv`/`x`/`y` (EC).
    ///
    /// - Throws: `JWTError` with `.invalidKey` for another key type, a missing or non-base64url member, an
    ///   unknown curve, coordinates of the wrong length, or parameters OpenSSL refuses.
    public func publicKeyPEM() throws -> String {
        switch self.kty {
        case "RSA":
            guard let n = self.n.flatMap(Base64URL.decode), let e = self.e.flatMap(Base64URL.decode) else {
                throw JWTError(.invalidKey, detail: "RSA JWK needs base64url n and e")
            }
            guard let pem = Native.rsaPublicKeyPEM(n: n, e: e) else {
                throw JWTError(.invalidKey, detail: "OpenSSL refused the RSA JWK")
            }
            return pem
        case "EC":
            guard let curve = self.crv, let size = Self.coordinateSizes[curve] else {
                throw JWTError(.invalidKey, detail: "EC JWK needs crv P-256, P-384 or P-521")
            }
            guard let x = self.x.flatMap(Base64URL.decode), let y = self.y.flatMap(Base64URL.decode),
                x.count == size, y.count == size
            else {
                throw JWTError(.invalidKey, detail: "EC JWK needs base64url x and y of \(size) bytes")
            }
            guard let pem = Native.ecPublicKeyPEM(curve: curve, x: x, y: y) else {
                throw JWTError(.invalidKey, detail: "OpenSSL refused the EC JWK")
            }
            return pem
        default:
            throw JWTError(.invalidKey, detail: "no public key in a JWK of type \(self.kty)")
        }
    }

    private static let coordinateSizes = ["P-256": 32, "P-384": 48, "P-521": 66]
}

/// A JSON Web Key Set: the document a `jwks_url` serves.
public struct JWKSet: Sendable, Hashable, Codable {
    /// The keys, in the publisher's order.
    public var keys: [JWK]

    /// Creates a set from its keys.
    public init(keys: [JWK]) {
        self.keys = keys
    }

    /// The first key whose `kid` is `kid`.
    public func key(kid: String) -> JWK? {
        self.keys.first { $0.kid == kid }
    }
}

extension JWTKey {
    /// The key a JWK describes: a public key for `RSA` and `EC` (converted to PEM through OpenSSL), a secret
    /// for `oct`.
    ///
    /// - Throws: `JWTError` with `.invalidKey` when the JWK holds no usable key.
    public init(jwk: JWK) throws {
        if jwk.kty == "oct" {
            guard let secret = jwk.k.flatMap(Base64URL.decode) else {
                throw JWTError(.invalidKey, detail: "oct JWK needs base64url k")
            }
            self = try .hmac(secret: secret)
        } else {
            self = try .publicKey(pem: try jwk.publicKeyPEM())
        }
    }
}
