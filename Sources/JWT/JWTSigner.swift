/// Signs claims into a compact token with libjwt.
public enum JWTSigner {
    /// A compact token carrying `claims`, signed with `algorithm` and `key`, with `kid` in its header if given.
    ///
    /// - Parameter key: An HMAC secret for HS*, a private key of the right type (and curve) for RS* and ES*.
    /// - Throws: `JWTError` with `.keyMismatch` when the key does not fit the algorithm, `.signingFailed` when
    ///   libjwt produces no token.
    public static func sign(
        claims: [String: JSONValue], algorithm: JWTAlgorithm, key: JWTKey, kid: String? = nil
    ) throws -> String {
        guard key.fits(algorithm, forSigning: true) else {
            throw JWTError(.keyMismatch, detail: "\(key.kind) cannot sign \(algorithm.name)")
        }
        let json = JSONText.serialize(.object(claims))
        guard let token = Native.sign(claimsJSON: json, algorithm: algorithm, key: key.material, kid: kid) else {
            throw JWTError(.signingFailed)
        }
        return token
    }
}
