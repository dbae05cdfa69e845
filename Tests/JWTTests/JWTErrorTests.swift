import Testing

@testable import JWT

@Suite struct JWTErrorTests {
    @Test func descriptionLeaksNoDetail() {
        let error = JWTError(.invalidKey, detail: "secret-value")
        #expect(error.description == "JWTError(code: invalidKey)")
        #expect(!error.description.contains("secret-value"))
        #expect(error.debugDescription.contains("secret-value"))
        #expect(error.debugDescription.contains("JWTErrorTests.swift"))
    }

    @Test func claimErrorsCarryTheClaimAndKongsMessage() {
        let error = JWTError(.expired, claim: "exp")
        #expect(error.description == "JWTError(code: expired, claim: exp)")
        #expect(error.claimMessage == "token expired")
        #expect(JWTError(.notYetValid, claim: "nbf").claimMessage == "token not valid yet")
        #expect(JWTError(.invalidClaim, claim: "exp").claimMessage == "must be a number")
        #expect(JWTError(.expirationTooFar, claim: "exp").claimMessage == "exceeds maximum allowed expiration")
        #expect(JWTError(.invalidSignature).claimMessage == nil)
    }

    @Test func equalityIgnoresDetailAndLocation() {
        #expect(JWTError(.expired, claim: "exp", detail: "a") == JWTError(.expired, claim: "exp", detail: "b"))
        #expect(JWTError(.expired, claim: "exp") != JWTError(.expired, claim: "nbf"))
    }
}
