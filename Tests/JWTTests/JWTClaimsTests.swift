import Testing

@testable import JWT

@Suite struct JWTClaimsTests {
    @Test func typedRegisteredClaims() {
        let claims = JWTClaims(fields: [
            "iss": "issuer", "sub": "user-1", "aud": "api", "exp": 200, "nbf": 100, "iat": 99.5,
            "scope": "read write", "groups": ["a", "b"],
        ])
        #expect(claims.iss == "issuer")
        #expect(claims.sub == "user-1")
        #expect(claims.aud == ["api"])
        #expect(claims.exp == 200)
        #expect(claims.nbf == 100)
        #expect(claims.iat == 99.5)
        #expect(claims.scope == "read write")
        #expect(claims["groups"] == ["a", "b"])
        #expect(claims["missing"] == nil)
    }

    @Test func audienceAsStringOrArray() {
        #expect(JWTClaims(fields: ["aud": "one"]).aud == ["one"])
        #expect(JWTClaims(fields: ["aud": ["one", "two"]]).aud == ["one", "two"])
        #expect(JWTClaims(fields: ["aud": ["one", 2]]).aud == nil)
        #expect(JWTClaims(fields: ["aud": 2]).aud == nil)
        #expect(JWTClaims(fields: [:]).aud == nil)
    }

    @Test func wrongTypesReadAsNil() {
        let claims = JWTClaims(fields: ["exp": "tomorrow", "iss": 1])
        #expect(claims.exp == nil)
        #expect(claims.iss == nil)
        #expect(claims["exp"] == "tomorrow")
    }
}
