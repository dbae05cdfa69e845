/// Verifies a token's signature with a key and the algorithm the caller expects.
///
/// libjwt 1.10 takes the algorithm from the token itself, so the verifier checks the header first: `alg: none`,
/// any other algorithm than the expected one, and a key that does not fit the algorithm are refused before libjwt
/// sees the token. An HS256 token "signed" with an RSA public key as the secret therefore never verifies against
/// that key. Claims are not checked here: see `JWTClaimsValidator`.
public enum JWTVerifier {
    /// Parses `token` and verifies it.
    ///
    /// - Returns: The parsed token, whose claims may now be trusted.
    /// - Throws: `JWTError`: a parsing code (see `JWTToken.init(parsing:)`), `.algorithmNotAllowed`,
    ///   `.algorithmMismatch`, `.keyMismatch` or `.invalidSignature`.
    public static func verify(token: String, key: JWTKey, algorithm: JWTAlgorithm) throws -> JWTToken {
        let parsed = try JWTToken(parsing: token)
        try Self.verify(parsed, key: key, algorithm: algorithm)
        return parsed
    }

    /// Verifies a token already parsed, for callers that read its header to choose the key.
    ///
    /// - Throws: `JWTError` with `.algorithmNotAllowed`, `.algorithmMismatch`, `.keyMismatch` or
    ///   `.invalidSignature`.
    public static func verify(_ token: JWTToken, key: JWTKey, algorithm: JWTAlgorithm) throws {
        guard let alg = token.header.alg, let tokenAlgorithm = JWTAlgorithm(name: alg) else {
            throw JWTError(.algorithmNotAllowed, detail: "alg \(token.header.alg ?? "missing")")
        }
        guard tokenAlgorithm == algorithm else {
            throw JWTError(.algorithmMismatch, detail: "token alg \(alg), expected \(algorithm.name)")
        }
        guard key.fits(algorithm, forSigning: false) else {
            throw JWTError(.keyMismatch, detail: "\(key.kind) cannot verify \(algorithm.name)")
        }
        guard !token.signature.isEmpty, Native.verify(token: token.compact, key: key.material, algorithm: algorithm)
        else {
            throw JWTError(.invalidSignature)
        }
    }
}
