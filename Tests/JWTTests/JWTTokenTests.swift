import Testing

@testable import JWT

@Suite struct JWTTokenTests {
    @Test func splitsAndDecodes() throws {
        let compact = TokenText.make(header: #"{"alg":"HS256","kid":"k"}"#, claims: #"{"sub":"u"}"#, signature: [9, 8])
        let token = try JWTToken(parsing: compact)
        #expect(token.compact == compact)
        #expect(token.header.alg == "HS256")
        #expect(token.header.kid == "k")
        #expect(token.claims.sub == "u")
        #expect(token.signature == [9, 8])
        #expect(token.signingInput == compact.split(separator: ".")[0] + "." + compact.split(separator: ".")[1])
    }

    @Test func emptySignatureParses() throws {
        let token = try JWTToken(parsing: TokenText.make(header: #"{"alg":"none"}"#, claims: "{}", signature: []))
        #expect(token.signature.isEmpty)
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", ".e30.", "e30..", "a.b.c.d.e"])
    func wrongSegmentCountOrEmptySegmentsAreMalformed(compact: String) {
        #expect(throws: JWTError(.malformedToken)) { try JWTToken(parsing: compact) }
    }

    @Test func badBase64IsInvalidBase64() {
        let good = TokenText.segment("{}")
        #expect(throws: JWTError(.invalidBase64)) { try JWTToken(parsing: "e30=.\(good).AQ") }
        #expect(throws: JWTError(.invalidBase64)) { try JWTToken(parsing: "\(good).e3+.AQ") }
        #expect(throws: JWTError(.invalidBase64)) { try JWTToken(parsing: "\(good).\(good).A*") }
    }

    @Test func badJSONIsInvalidJSON() {
        #expect(throws: JWTError(.invalidJSON)) { try JWTToken(parsing: TokenText.make(header: "{", claims: "{}")) }
        #expect(throws: JWTError(.invalidJSON)) { try JWTToken(parsing: TokenText.make(header: "{}", claims: "[1]")) }
        #expect(throws: JWTError(.invalidJSON)) { try JWTToken(parsing: TokenText.make(header: "{}", claims: "7")) }
    }
}
