import Foundation
import JWT

/// Verifies bearer tokens as every service must: the signature against the user service's keys (picked by `kid`,
/// asymmetric algorithms only), then `exp`, `nbf`, `iss` and `aud`. Headers a gateway added are never consulted.
/// A token that verified is remembered until it expires, so a caller's next requests cost no cryptography.
public struct TokenVerifier: Sendable {
    /// Where the keys come from.
    public let keys: any VerificationKeys
    /// The `iss` every token must carry (`USERS_ISSUER`).
    public let issuer: String
    /// The `aud` every token must name (`acme-api`).
    public let audience: String
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    public let leeway: Double
    private let now: @Sendable () -> Date
    private let cache: VerifiedTokenCache

    /// A verifier for tokens from `issuer` for `audience`, remembering up to `cacheCapacity` verified tokens.
    /// `now` is the clock (tests move it).
    public init(
        keys: any VerificationKeys, issuer: String, audience: String = "acme-api", leeway: Double = 30,
        cacheCapacity: Int = 10_000, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.now = now
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
    }

    /// The caller a token stands for.
    ///
    /// - Throws: `Problem` 401 (with a `WWW-Authenticate` challenge) when the token is malformed, signed by no
    ///   known key, expired, or for another issuer or audience; `Problem` 503 when no keys can be had.
    public func verify(_ token: String) async throws -> Caller {
        let now = self.now()
        if let caller = self.cache.caller(for: token, now: now, leeway: self.leeway) { return caller }
        let caller = try await self.verifyUncached(token, now: now)
        self.cache.remember(token, as: caller, now: now)
        return caller
    }

    private func verifyUncached(_ token: String, now: Date) async throws -> Caller {
        let parsed: JWTToken
        do {
            parsed = try JWTToken(parsing: token)
        } catch {
            throw Problem.unauthenticated("the token is malformed", tokenSent: true)
        }
        guard let algorithm = parsed.header.algorithm, algorithm.family != .hmac else {
            throw Problem.unauthenticated("the token's algorithm is not accepted", tokenSent: true)
        }
        let candidates: [VerificationKey]
        do {
            candidates = try await self.keys.keys(kid: parsed.header.kid)
        } catch {
            throw Problem.unavailable("the keys that verify tokens cannot be fetched")
        }
        let verified = candidates.contains { candidate in
            guard candidate.algorithm == algorithm else { return false }
            return (try? JWTVerifier.verify(parsed, key: candidate.key, algorithm: algorithm)) != nil
        }
        guard verified else { throw Problem.unauthenticated("the token's signature is not valid", tokenSent: true) }
        let validator = JWTClaimsValidator(
            verifyExpiration: true, leeway: self.leeway, issuer: self.issuer, audience: self.audience)
        if let failure = validator.failures(in: parsed.claims, now: now).first {
            let detail =
                failure.code == .expired
                ? "the token has expired" : "the token's \(failure.claim ?? "claims") is not valid"
            throw Problem.unauthenticated(detail, tokenSent: true)
        }
        if let nbf = parsed.claims.nbf, now.timeIntervalSince1970 < nbf - self.leeway {
            throw Problem.unauthenticated("the token is not valid yet", tokenSent: true)
        }
        return try Self.caller(from: parsed.claims)
    }

    static func caller(from claims: JWTClaims) throws -> Caller {
        guard let subject = claims.sub, !subject.isEmpty, let exp = claims.exp else {
            throw Problem.unauthenticated("the token has no subject", tokenSent: true)
        }
        let scopes = (claims.scope ?? "").split(separator: " ").map(String.init)
        let groups = claims["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return Caller(
            subject: subject, clientID: claims["client_id"]?.stringValue, scopes: Set(scopes), groups: Set(groups),
            tokenID: claims["jti"]?.stringValue, expiresAt: Date(timeIntervalSince1970: exp))
    }
}
