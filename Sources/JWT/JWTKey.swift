/// Key material for verifying or signing: an HMAC secret, or an RSA or EC key as PEM.
///
/// PEM keys are read once by OpenSSL when the key is made, so a bad PEM fails here and not on every token.
public struct JWTKey: Sendable, Hashable {
    /// What a key is, which decides the algorithms it fits.
    public enum Kind: Sendable, Hashable {
        /// A shared secret for HS256, HS384 and HS512.
        case hmacSecret
        /// An RSA public key, for verifying RS256, RS384 and RS512.
        case rsaPublicKey
        /// An RSA private key, for signing RS256, RS384 and RS512.
        case rsaPrivateKey
        /// An EC public key, for verifying ES256, ES384 and ES512 on the matching curve.
        case ecPublicKey
        /// An EC private key, for signing ES256, ES384 and ES512 on the matching curve.
        case ecPrivateKey
    }

    /// What this key is.
    public let kind: Kind
    /// For EC keys, the curve size in bits (256, 384, 521); for RSA keys, the modulus size; 0 for secrets.
    public let bits: Int
    /// The bytes handed to libjwt: the secret, or the PEM text.
    let material: [UInt8]

    private init(kind: Kind, bits: Int, material: [UInt8]) {
        self.kind = kind
        self.bits = bits
        self.material = material
    }

    /// An HMAC secret.
    ///
    /// - Throws: `JWTError` with `.invalidKey` when the secret is empty.
    public static func hmac(secret: [UInt8]) throws -> JWTKey {
        guard !secret.isEmpty else { throw JWTError(.invalidKey, detail: "empty secret") }
        return JWTKey(kind: .hmacSecret, bits: 0, material: secret)
    }

    /// An HMAC secret given as text: its UTF-8 bytes, or with `isBase64` (Kong's `secret_is_base64`) the bytes
    /// it encodes in standard or URL-safe base64, padded or not.
    ///
    /// - Throws: `JWTError` with `.invalidKey` when the secret is empty or not base64.
    public static func hmac(secret: String, isBase64: Bool = false) throws -> JWTKey {
        guard isBase64 else { return try Self.hmac(secret: Array(secret.utf8)) }
        guard let bytes = Base64URL.decodeLenient(secret) else {
            throw JWTError(.invalidKey, detail: "secret is not base64")
        }
        return try Self.hmac(secret: bytes)
    }

    /// An RSA or EC public key from PEM (`-----BEGIN PUBLIC KEY-----`, as Kong's `rsa_public_key`).
    ///
    /// - Throws: `JWTError` with `.invalidKey` when OpenSSL reads no RSA or EC public key from it.
    public static func publicKey(pem: String) throws -> JWTKey {
        let material = Array(pem.utf8)
        guard let (type, bits) = Native.inspect(pem: material, isPrivate: false) else {
            throw JWTError(.invalidKey, detail: "no RSA or EC public key in the PEM")
        }
        return JWTKey(kind: type == .rsa ? .rsaPublicKey : .ecPublicKey, bits: bits, material: material)
    }

    /// An RSA or EC private key from PEM, for signing.
    ///
    /// - Throws: `JWTError` with `.invalidKey` when OpenSSL reads no RSA or EC private key from it.
    public static func privateKey(pem: String) throws -> JWTKey {
        let material = Array(pem.utf8)
        guard let (type, bits) = Native.inspect(pem: material, isPrivate: true) else {
            throw JWTError(.invalidKey, detail: "no RSA or EC private key in the PEM")
        }
        return JWTKey(kind: type == .rsa ? .rsaPrivateKey : .ecPrivateKey, bits: bits, material: material)
    }

    /// Whether this key can verify (`forSigning == false`) or sign tokens with `algorithm`.
    public func fits(_ algorithm: JWTAlgorithm, forSigning: Bool) -> Bool {
        switch (algorithm.family, self.kind) {
        case (.hmac, .hmacSecret):
            return true
        case (.rsa, .rsaPublicKey):
            return !forSigning
        case (.rsa, .rsaPrivateKey):
            return forSigning
        case (.ecdsa, .ecPublicKey):
            return !forSigning && self.bits == algorithm.curveBits
        case (.ecdsa, .ecPrivateKey):
            return forSigning && self.bits == algorithm.curveBits
        default:
            return false
        }
    }
}
