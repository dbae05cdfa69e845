import Foundation
import Testing

@testable import JWT

@Suite struct JWTClaimsValidatorTests {
    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    @Test func expiresAtExpWithoutLeeway() throws {
        let validator = JWTClaimsValidator()
        let claims = JWTClaims(fields: ["exp": 1000])
        try validator.validate(claims, now: Self.at(999))
        #expect(throws: JWTError(.expired, claim: "exp")) { try validator.validate(claims, now: Self.at(1000)) }
    }

    @Test func leewayExtendsExpAtTheBoundary() throws {
        let validator = JWTClaimsValidator(leeway: 30)
        let claims = JWTClaims(fields: ["exp": 1000])
        try validator.validate(claims, now: Self.at(1029))
        try validator.validate(claims, now: Self.at(1029.999))
        #expect(throws: JWTError(.expired, claim: "exp")) { try validator.validate(claims, now: Self.at(1030)) }
    }

    @Test func notBeforeWithLeewayAtTheBoundary() throws {
        let strict = JWTClaimsValidator(verifyExpiration: false, verifyNotBefore: true)
        let lenient = JWTClaimsValidator(verifyExpiration: false, verifyNotBefore: true, leeway: 10)
        let claims = JWTClaims(fields: ["nbf": 1000])
        try strict.validate(claims, now: Self.at(1000))
        #expect(throws: JWTError(.notYetValid, claim: "nbf")) { try strict.validate(claims, now: Self.at(999.5)) }
        try lenient.validate(claims, now: Self.at(990))
        #expect(throws: JWTError(.notYetValid, claim: "nbf")) { try lenient.validate(claims, now: Self.at(989)) }
    }

    @Test func checkedClaimsMustBeNumbers() {
        let validator = JWTClaimsValidator(verifyNotBefore: true)
        let failures = validator.failures(in: JWTClaims(fields: ["exp": "soon"]), now: Self.at(0))
        #expect(failures == [JWTError(.invalidClaim, claim: "exp"), JWTError(.invalidClaim, claim: "nbf")])
        #expect(failures.map(\.claimMessage) == ["must be a number", "must be a number"])
    }

    @Test func uncheckedClaimsAreIgnored() throws {
        let validator = JWTClaimsValidator(verifyExpiration: false)
        try validator.validate(JWTClaims(fields: ["exp": 1, "nbf": 5000]), now: Self.at(2000))
    }

    @Test func reportsEveryFailureInKongsOrder() {
        let validator = JWTClaimsValidator(verifyNotBefore: true, issuer: "acme", audience: "api")
        let claims = JWTClaims(fields: ["exp": 10, "nbf": 5000, "iss": "other", "aud": "web"])
        #expect(validator.failures(in: claims, now: Self.at(100)).map(\.claim) == ["exp", "nbf", "iss", "aud"])
    }

    @Test func issuerMustMatch() throws {
        let validator = JWTClaimsValidator(verifyExpiration: false, issuer: "acme")
        try validator.validate(JWTClaims(fields: ["iss": "acme"]))
        #expect(throws: JWTError(.invalidIssuer, claim: "iss")) {
            try validator.validate(JWTClaims(fields: ["iss": "x"]))
        }
        #expect(throws: JWTError(.invalidIssuer, claim: "iss")) { try validator.validate(JWTClaims(fields: [:])) }
    }

    @Test func audienceAsStringOrArray() throws {
        let validator = JWTClaimsValidator(verifyExpiration: false, audience: "api")
        try validator.validate(JWTClaims(fields: ["aud": "api"]))
        try validator.validate(JWTClaims(fields: ["aud": ["web", "api"]]))
        for aud: JSONValue in ["web", ["web", "admin"], [], 5, ["api", 5]] {
            #expect(throws: JWTError(.invalidAudience, claim: "aud")) {
                try validator.validate(JWTClaims(fields: ["aud": aud]))
            }
        }
        #expect(throws: JWTError(.invalidAudience, claim: "aud")) { try validator.validate(JWTClaims(fields: [:])) }
    }

    @Test func maximumExpiration() throws {
        let validator = JWTClaimsValidator(verifyExpiration: false, maximumExpiration: 3600)
        try validator.validate(JWTClaims(fields: ["exp": 4600]), now: Self.at(1000))
        #expect(throws: JWTError(.expirationTooFar, claim: "exp")) {
            try validator.validate(JWTClaims(fields: ["exp": 4601]), now: Self.at(1000))
        }
        #expect(throws: JWTError(.expirationTooFar, claim: "exp")) { try validator.validate(JWTClaims(fields: [:])) }
    }
}
