import Testing

@testable import JWT

@Suite struct JWTKeyTests {
    @Test func hmacSecretFromTextAndBase64() throws {
        #expect(try JWTKey.hmac(secret: "secret").material == Array("secret".utf8))
        #expect(try JWTKey.hmac(secret: "c2VjcmV0", isBase64: true).material == Array("secret".utf8))
        #expect(try JWTKey.hmac(secret: "+/8=", isBase64: true).material == [0xFB, 0xFF])
        #expect(try JWTKey.hmac(secret: [1]).kind == .hmacSecret)
    }

    @Test func emptyOrNonBase64SecretsAreInvalid() {
        #expect(throws: JWTError(.invalidKey)) { try JWTKey.hmac(secret: "") }
        #expect(throws: JWTError(.invalidKey)) { try JWTKey.hmac(secret: "not base64!", isBase64: true) }
    }

    @Test func publicAndPrivatePEMKeys() throws {
        let rsa = try JWTKeyPair.rsa()
        let ec = try JWTKeyPair.ec("P-384")
        #expect(try JWTKey.publicKey(pem: rsa.publicPEM).kind == .rsaPublicKey)
        #expect(try JWTKey.publicKey(pem: rsa.publicPEM).bits == 2048)
        #expect(try JWTKey.privateKey(pem: rsa.privatePEM).kind == .rsaPrivateKey)
        #expect(try JWTKey.publicKey(pem: ec.publicPEM).kind == .ecPublicKey)
        #expect(try JWTKey.publicKey(pem: ec.publicPEM).bits == 384)
        #expect(try JWTKey.privateKey(pem: ec.privatePEM).kind == .ecPrivateKey)
    }

    @Test func badPEMIsInvalid() throws {
        let rsa = try JWTKeyPair.rsa()
        #expect(throws: JWTError(.invalidKey)) { try JWTKey.publicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n") }
        #expect(throws: JWTError(.invalidKey)) { try JWTKey.publicKey(pem: "") }
        #expect(throws: JWTError(.invalidKey)) { try JWTKey.privateKey(pem: rsa.publicPEM) }
    }

    @Test func keysFitOnlyTheirAlgorithms() throws {
        let secret = try JWTKey.hmac(secret: "s")
        let rsaPublic = try JWTKey.publicKey(pem: try JWTKeyPair.rsa().publicPEM)
        let p256 = try JWTKeyPair.ec("P-256")
        let ecPublic = try JWTKey.publicKey(pem: p256.publicPEM)
        let ecPrivate = try JWTKey.privateKey(pem: p256.privatePEM)
        #expect(secret.fits(.hs512, forSigning: false))
        #expect(secret.fits(.hs256, forSigning: true))
        #expect(!secret.fits(.rs256, forSigning: false))
        #expect(rsaPublic.fits(.rs384, forSigning: false))
        #expect(!rsaPublic.fits(.rs384, forSigning: true))
        #expect(!rsaPublic.fits(.hs256, forSigning: false))
        #expect(!rsaPublic.fits(.es256, forSigning: false))
        #expect(ecPublic.fits(.es256, forSigning: false))
        #expect(!ecPublic.fits(.es384, forSigning: false))
        #expect(ecPrivate.fits(.es256, forSigning: true))
        #expect(!ecPrivate.fits(.es256, forSigning: false))
    }
}
