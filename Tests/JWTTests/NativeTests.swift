import Testing

@testable import JWT

@Suite struct NativeTests {
    @Test func libjwtAloneWouldAcceptTheConfusedToken() throws {
        // Why JWTVerifier checks the header first: libjwt takes the algorithm from the token, so a public PEM
        // handed to it as "the key" verifies an HS256 token made with that PEM as the secret.
        let pair = try JWTKeyPair.rsa()
        let pem = Array(pair.publicPEM.utf8)
        let forged = try #require(Native.sign(claimsJSON: #"{"sub":"admin"}"#, algorithm: .hs256, key: pem, kid: nil))
        #expect(Native.verify(token: forged, key: pem, algorithm: .hs256))
        #expect(!Native.verify(token: forged, key: pem, algorithm: .rs256))
    }

    @Test func inspectsKeyTypeAndSize() throws {
        let ec = try JWTKeyPair.ec("P-521")
        #expect(Native.inspect(pem: Array(ec.publicPEM.utf8), isPrivate: false)! == (.ec, 521))
        #expect(Native.inspect(pem: Array(ec.privatePEM.utf8), isPrivate: true)! == (.ec, 521))
        #expect(Native.inspect(pem: Array(ec.privatePEM.utf8), isPrivate: false) == nil)
        #expect(Native.inspect(pem: [], isPrivate: false) == nil)
    }

    @Test func emptyKeyNeverVerifies() throws {
        let token = try #require(Native.sign(claimsJSON: "{}", algorithm: .hs256, key: [1], kid: nil))
        #expect(!Native.verify(token: token, key: [], algorithm: .hs256))
    }

    @Test func refusesBadJWKParameters() {
        #expect(Native.rsaPublicKeyPEM(n: [], e: [1, 0, 1]) == nil)
        #expect(
            Native.ecPublicKeyPEM(
                curve: "P-256", x: [UInt8](repeating: 1, count: 32), y: [UInt8](repeating: 2, count: 32)) == nil)
        #expect(Native.ecPublicKeyPEM(curve: "P-192", x: [1], y: [2]) == nil)
    }
}
