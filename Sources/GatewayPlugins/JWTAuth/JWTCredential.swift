import Gateway
import JWT

/// A consumer's `jwt` credential, its key read once when the plugin is made.
struct JWTCredential: Sendable {
    let consumer: Consumer
    /// The credential's `key`: what the token's `key_claim_name` claim names, and `X-Credential-Identifier`.
    let key: String
    let algorithm: JWTAlgorithm
    /// The verification key; nil when the secret is not what `secret_is_base64` says (Kong's "Invalid key/secret").
    let verificationKey: JWTKey?

    /// The algorithms a credential may name: libjwt 1.10's (no PS256 or EdDSA).
    static let algorithms = JWTAlgorithm.allCases.map(\.name)

    /// The consumers' credentials by key; the first credential with a key wins.
    static func directory(_ consumers: ConsumerDirectory, secretIsBase64: Bool) -> [String: JWTCredential] {
        var credentials: [String: JWTCredential] = [:]
        for entry in consumers.credentials(of: JWTPlugin.name) {
            guard case .string(let key)? = entry.credential["key"], credentials[key] == nil else { continue }
            var algorithm = JWTAlgorithm.hs256
            if case .string(let name)? = entry.credential["algorithm"], let named = JWTAlgorithm(name: name) {
                algorithm = named
            }
            var verificationKey: JWTKey?
            if algorithm.family == .hmac {
                if case .string(let secret)? = entry.credential["secret"] {
                    verificationKey = try? JWTKey.hmac(secret: secret, isBase64: secretIsBase64)
                }
            } else if case .string(let pem)? = entry.credential["rsa_public_key"] {
                verificationKey = try? JWTKey.publicKey(pem: pem)
            }
            credentials[key] = JWTCredential(
                consumer: entry.consumer,
                key: key,
                algorithm: algorithm,
                verificationKey: verificationKey
            )
        }
        return credentials
    }

    /// Checks a credential object: `key`, `algorithm` (HS256 by default), `secret` for HMAC algorithms or
    /// `rsa_public_key` (a PEM public key, RSA or EC as the algorithm needs) for the others, optional `id`.
    static func check(_ reader: inout PluginConfigReader) {
        if reader.string("key", default: "").isEmpty { reader.fail("key", "is required: a non-empty string") }
        let name = reader.choice("algorithm", Self.algorithms, default: "HS256")
        let algorithm = JWTAlgorithm(name: name) ?? .hs256
        let secret = reader.string("secret", default: "")
        let pem = reader.string("rsa_public_key", default: "")
        _ = reader.string("id", default: "")
        if algorithm.family == .hmac {
            if secret.isEmpty { reader.fail("secret", "is required for \(name): a non-empty string") }
        } else if pem.isEmpty {
            reader.fail("rsa_public_key", "is required for \(name): a PEM public key")
        } else if let key = try? JWTKey.publicKey(pem: pem) {
            if !key.fits(algorithm, forSigning: false) {
                reader.fail("rsa_public_key", "expected a public key that can verify \(name)")
            }
        } else {
            reader.fail("rsa_public_key", "expected a PEM public key, got text that is not one")
        }
        reader.finish()
    }
}
