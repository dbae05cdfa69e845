import Testing

@testable import JWT

@Suite struct JWTHeaderTests {
    @Test func exposesAlgKidAndTyp() {
        let header = JWTHeader(fields: ["alg": "RS256", "kid": "key-1", "typ": "JWT", "x5t": "abc"])
        #expect(header.alg == "RS256")
        #expect(header.algorithm == .rs256)
        #expect(header.kid == "key-1")
        #expect(header.typ == "JWT")
        #expect(header["x5t"] == "abc")
    }

    @Test func noneAndUnknownAlgorithmsHaveNoAlgorithm() {
        #expect(JWTHeader(fields: ["alg": "none"]).algorithm == nil)
        #expect(JWTHeader(fields: ["alg": "none"]).alg == "none")
        #expect(JWTHeader(fields: ["alg": 5]).alg == nil)
        #expect(JWTHeader(fields: [:]).algorithm == nil)
    }
}
