import Foundation

/// Checks a verified token's registered claims: `exp`, `nbf`, `iss`, `aud` and a maximum lifetime.
///
/// Times are seconds since 1970, and `now` is a parameter so tests (and a cached clock) can supply it.
/// A token is expired once `now >= exp + leeway`, and not yet valid while `now < nbf - leeway`.
public struct JWTClaimsValidator: Sendable, Hashable {
    /// Require `exp` (a number) and refuse the token once it has passed, as Kong's `claims_to_verify: ["exp"]`.
    public var verifyExpiration: Bool
    /// Require `nbf` (a number) and refuse the token before it, as Kong's `claims_to_verify: ["nbf"]`.
    public var verifyNotBefore: Bool
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    public var leeway: Double
    /// When set, `iss` must equal it.
    public var issuer: String?
    /// When set, `aud` (a string or an array of strings) must contain it.
    public var audience: String?
    /// When set, `exp` must be present and at most this many seconds after `now` (Kong's `maximum_expiration`).
    public var maximumExpiration: Double?

    /// Creates a validator; by default it checks `exp` only, with no leeway.
    public init(
        verifyExpiration: Bool = true, verifyNotBefore: Bool = false, leeway: Double = 0, issuer: String? = nil,
        audience: String? = nil, maximumExpiration: Double? = nil
    ) {
        self.verifyExpiration = verifyExpiration
        self.verifyNotBefore = verifyNotBefore
        self.leeway = leeway
        self.issuer = issuer
        self.audience = audience
        self.maximumExpiration = maximumExpiration
    }

    /// Throws the first failure that `failures(in:now:)` finds.
    ///
    /// - Throws: `JWTError` whose `claim` names the failing claim and whose `claimMessage` is Kong's text.
    public func validate(_ claims: JWTClaims, now: Date = Date()) throws {
        if let failure = self.failures(in: claims, now: now).first { throw failure }
    }

    /// Every failed check, in the order `exp`, `nbf`, `iss`, `aud`, so a caller can report them all as Kong does
    /// (`{"exp":"token expired","nbf":"token not valid yet"}`). Empty when the claims pass.
    public func failures(in claims: JWTClaims, now: Date = Date()) -> [JWTError] {
        let time = now.timeIntervalSince1970
        var failures: [JWTError] = []
        if self.verifyExpiration {
            if let exp = claims.exp {
                if time >= exp + self.leeway { failures.append(JWTError(.expired, claim: "exp")) }
            } else {
                failures.append(JWTError(.invalidClaim, claim: "exp", detail: "exp is missing or not a number"))
            }
        }
        if let maximum = self.maximumExpiration, !failures.contains(where: { $0.claim == "exp" }) {
            if let exp = claims.exp {
                if exp - time > maximum { failures.append(JWTError(.expirationTooFar, claim: "exp")) }
            } else {
                failures.append(JWTError(.expirationTooFar, claim: "exp", detail: "exp is missing"))
            }
        }
        if self.verifyNotBefore {
            if let nbf = claims.nbf {
                if time < nbf - self.leeway { failures.append(JWTError(.notYetValid, claim: "nbf")) }
            } else {
                failures.append(JWTError(.invalidClaim, claim: "nbf", detail: "nbf is missing or not a number"))
            }
        }
        if let issuer = self.issuer, claims.iss != issuer {
            failures.append(JWTError(.invalidIssuer, claim: "iss"))
        }
        if let audience = self.audience, !(claims.aud ?? []).contains(audience) {
            failures.append(JWTError(.invalidAudience, claim: "aud"))
        }
        return failures
    }
}
