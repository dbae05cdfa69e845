import Foundation
import Testing

@testable import JWT

@Suite struct JWKTests {
    @Test func rsaJWKBecomesAPEMThatVerifiesATokenSignedWithThePrivateKey() throws {
        let pair = try JWTKeyPair.rsa()
        let pem = try pair.jwk.publicKeyPEM()
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let token = try JWTSigner.sign(
            claims: ["sub": "u"], algorithm: .rs256, key: try .privateKey(pem: pair.privatePEM))
        let verified = try JWTVerifier.verify(token: token, key: try JWTKey(jwk: pair.jwk), algorithm: .rs256)
        #expect(verified.claims.sub == "u")
    }

    @Test(arguments: [("P-256", JWTAlgorithm.es256), ("P-384", .es384), ("P-521", .es512)])
    func ecJWKBecomesAPEMThatVerifiesATokenSignedWithThePrivateKey(curve: String, algorithm: JWTAlgorithm) throws {
        let pair = try JWTKeyPair.ec(curve)
        let key = try JWTKey(jwk: pair.jwk)
        #expect(key.kind == .ecPublicKey)
        let token = try JWTSigner.sign(
            claims: ["sub": "u"], algorithm: algorithm, key: try .privateKey(pem: pair.privatePEM))
        #expect(try JWTVerifier.verify(token: token, key: key, algorithm: algorithm).claims.sub == "u")
    }

    @Test func decodesAJWKSDocumentAndFindsByKid() throws {
        let text =
            #"{"keys":[{"kty":"RSA","kid":"a","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB","x5c":[]},"#
            + #"{"kty":"oct","kid":"b","k":"c2VjcmV0"}]}"#
        let set = try JSONDecoder().decode(JWKSet.self, from: Data(text.utf8))
        #expect(set.keys.count == 2)
        #expect(set.key(kid: "a")?.alg == "RS256")
        #expect(set.key(kid: "c") == nil)
        #expect(try JWTKey(jwk: try #require(set.key(kid: "b"))).material == Array("secret".utf8))
    }

    @Test func badJWKsAreInvalidKeys() throws {
        let ec = try JWTKeyPair.ec("P-256").jwk
        var wrongCurve = ec
        wrongCurve.crv = "P-384"
        var offCurve = ec
        offCurve.y = ec.x
        var shortX = ec
        shortX.x = "AQAB"
        for jwk in [
            JWK(kty: "RSA", n: "AQAB"), JWK(kty: "RSA", n: "A*", e: "AQAB"), JWK(kty: "OKP", crv: "Ed25519", x: "AQAB"),
            JWK(kty: "EC", crv: "secp256k1", x: ec.x, y: ec.y), wrongCurve, offCurve, shortX, JWK(kty: "oct"),
        ] {
            #expect(throws: JWTError(.invalidKey)) { try JWTKey(jwk: jwk) }
        }
    }
}
