import Testing

@testable import JWT

@Suite struct JWTSignerTests {
    @Test func producesACompactTokenWithHeaderAndClaims() throws {
        let claims: [String: JSONValue] = ["sub": "u", "exp": 1_700_000_000, "groups": ["a"], "admin": false]
        let token = try JWTSigner.sign(claims: claims, algorithm: .hs256, key: try .hmac(secret: "s"), kid: "key-7")
        let parsed = try JWTToken(parsing: token)
        #expect(parsed.header.alg == "HS256")
        #expect(parsed.header.typ == "JWT")
        #expect(parsed.header.kid == "key-7")
        #expect(parsed.claims.fields == claims)
        #expect(parsed.signature.count == 32)
        let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        #expect(String(decoding: payload, as: UTF8.self).contains("1700000000"))
    }

    @Test func noKidMeansNoKidHeader() throws {
        let token = try JWTSigner.sign(claims: [:], algorithm: .hs384, key: try .hmac(secret: "s"))
        #expect(try JWTToken(parsing: token).header.kid == nil)
    }

    @Test func refusesKeysThatDoNotFit() throws {
        let pair = try JWTKeyPair.rsa()
        let publicKey = try JWTKey.publicKey(pem: pair.publicPEM)
        let privateKey = try JWTKey.privateKey(pem: pair.privatePEM)
        #expect(throws: JWTError(.keyMismatch)) { try JWTSigner.sign(claims: [:], algorithm: .rs256, key: publicKey) }
        #expect(throws: JWTError(.keyMismatch)) { try JWTSigner.sign(claims: [:], algorithm: .hs256, key: privateKey) }
        #expect(throws: JWTError(.keyMismatch)) { try JWTSigner.sign(claims: [:], algorithm: .es256, key: privateKey) }
        let secret = try JWTKey.hmac(secret: "s")
        #expect(throws: JWTError(.keyMismatch)) { try JWTSigner.sign(claims: [:], algorithm: .rs256, key: secret) }
    }
}
