import Testing

@testable import JWT

@Suite struct JWTVerifierTests {
    static let claims: [String: JSONValue] = ["iss": "acme", "sub": "user-1", "exp": 2_000_000_000]

    @Test(arguments: [JWTAlgorithm.hs256, .hs384, .hs512])
    func hmacRoundTrips(algorithm: JWTAlgorithm) throws {
        let key = try JWTKey.hmac(secret: "a secret of reasonable length!!")
        let token = try JWTSigner.sign(claims: Self.claims, algorithm: algorithm, key: key, kid: "k1")
        let verified = try JWTVerifier.verify(token: token, key: key, algorithm: algorithm)
        #expect(verified.claims.fields == Self.claims)
        #expect(verified.header.kid == "k1")
        #expect(verified.header.alg == algorithm.name)
    }

    @Test func rs256RoundTrips() throws {
        let pair = try JWTKeyPair.rsa()
        let token = try JWTSigner.sign(
            claims: Self.claims, algorithm: .rs256, key: try .privateKey(pem: pair.privatePEM))
        let verified = try JWTVerifier.verify(token: token, key: try .publicKey(pem: pair.publicPEM), algorithm: .rs256)
        #expect(verified.claims.sub == "user-1")
    }

    @Test(arguments: [("P-256", JWTAlgorithm.es256), ("P-384", .es384)])
    func ecdsaRoundTrips(curve: String, algorithm: JWTAlgorithm) throws {
        let pair = try JWTKeyPair.ec(curve)
        let token = try JWTSigner.sign(
            claims: Self.claims, algorithm: algorithm, key: try .privateKey(pem: pair.privatePEM))
        let verified = try JWTVerifier.verify(
            token: token, key: try .publicKey(pem: pair.publicPEM), algorithm: algorithm)
        #expect(verified.claims.iss == "acme")
    }

    @Test func rfc7515AppendixA1Verifies() throws {
        let token =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let jwk = JWK(
            kty: "oct", k: "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        let verified = try JWTVerifier.verify(token: token, key: try JWTKey(jwk: jwk), algorithm: .hs256)
        #expect(verified.claims.iss == "joe")
        #expect(verified.claims.exp == 1_300_819_380)
        #expect(verified.claims["http://example.com/is_root"] == true)
        #expect(throws: JWTError(.invalidSignature)) {
            try JWTVerifier.verify(token: token, key: try .hmac(secret: "other"), algorithm: .hs256)
        }
    }

    @Test func algNoneIsRefused() throws {
        let key = try JWTKey.hmac(secret: "secret")
        for alg in ["none", "None", "NONE"] {
            let token = TokenText.make(
                header: #"{"alg":"\#(alg)","typ":"JWT"}"#, claims: #"{"sub":"x"}"#, signature: [])
            #expect(throws: JWTError(.algorithmNotAllowed)) {
                try JWTVerifier.verify(token: token, key: key, algorithm: .hs256)
            }
        }
        let missing = TokenText.make(header: #"{"typ":"JWT"}"#, claims: "{}")
        #expect(throws: JWTError(.algorithmNotAllowed)) {
            try JWTVerifier.verify(token: missing, key: key, algorithm: .hs256)
        }
    }

    @Test func hmacWithTheRSAPublicKeyAsSecretIsRefused() throws {
        // The classic confusion attack: the attacker signs HS256 with the public PEM as the HMAC secret.
        let pair = try JWTKeyPair.rsa()
        let forged = try JWTSigner.sign(
            claims: ["sub": "admin"], algorithm: .hs256, key: try .hmac(secret: pair.publicPEM))
        let publicKey = try JWTKey.publicKey(pem: pair.publicPEM)
        #expect(throws: JWTError(.algorithmMismatch)) {
            try JWTVerifier.verify(token: forged, key: publicKey, algorithm: .rs256)
        }
        // Even a caller that wrongly expects HS256 cannot use a public key as a secret.
        #expect(throws: JWTError(.keyMismatch)) {
            try JWTVerifier.verify(token: forged, key: publicKey, algorithm: .hs256)
        }
    }

    @Test func otherAlgorithmMismatchesAreRefused() throws {
        let key = try JWTKey.hmac(secret: "secret")
        let token = try JWTSigner.sign(claims: [:], algorithm: .hs512, key: key)
        #expect(throws: JWTError(.algorithmMismatch)) {
            try JWTVerifier.verify(token: token, key: key, algorithm: .hs256)
        }
        let p384 = try JWTKey.publicKey(pem: try JWTKeyPair.ec("P-384").publicPEM)
        let es256 = TokenText.make(header: #"{"alg":"ES256"}"#, claims: "{}")
        #expect(throws: JWTError(.keyMismatch)) { try JWTVerifier.verify(token: es256, key: p384, algorithm: .es256) }
    }

    @Test func tamperedPayloadIsRefused() throws {
        let key = try JWTKey.hmac(secret: "secret")
        let token = try JWTSigner.sign(claims: ["sub": "user-1"], algorithm: .hs256, key: key)
        var segments = token.split(separator: ".").map(String.init)
        segments[1] = TokenText.segment(#"{"sub":"admin"}"#)
        #expect(throws: JWTError(.invalidSignature)) {
            try JWTVerifier.verify(token: segments.joined(separator: "."), key: key, algorithm: .hs256)
        }
    }

    @Test(arguments: [JWTAlgorithm.hs256, .rs256, .es256])
    func tamperedOrMissingSignatureIsRefused(algorithm: JWTAlgorithm) throws {
        let (signing, verifying): (JWTKey, JWTKey)
        switch algorithm.family {
        case .hmac:
            signing = try .hmac(secret: "secret")
            verifying = signing
        case .rsa:
            let pair = try JWTKeyPair.rsa()
            (signing, verifying) = (try .privateKey(pem: pair.privatePEM), try .publicKey(pem: pair.publicPEM))
        case .ecdsa:
            let pair = try JWTKeyPair.ec("P-256")
            (signing, verifying) = (try .privateKey(pem: pair.privatePEM), try .publicKey(pem: pair.publicPEM))
        }
        let token = try JWTSigner.sign(claims: ["sub": "u"], algorithm: algorithm, key: signing)
        var segments = token.split(separator: ".").map(String.init)
        var signature = try #require(Base64URL.decode(segments[2]))
        signature[0] ^= 0x01
        segments[2] = Base64URL.encode(signature)
        #expect(throws: JWTError(.invalidSignature)) {
            try JWTVerifier.verify(token: segments.joined(separator: "."), key: verifying, algorithm: algorithm)
        }
        segments[2] = ""
        #expect(throws: JWTError(.invalidSignature)) {
            try JWTVerifier.verify(token: segments.joined(separator: "."), key: verifying, algorithm: algorithm)
        }
    }

    @Test func wrongKeyIsRefused() throws {
        let token = try JWTSigner.sign(
            claims: [:], algorithm: .rs256, key: try .privateKey(pem: try JWTKeyPair.rsa().privatePEM))
        let other = try JWTKey.publicKey(pem: try JWTKeyPair.rsa().publicPEM)
        #expect(throws: JWTError(.invalidSignature)) {
            try JWTVerifier.verify(token: token, key: other, algorithm: .rs256)
        }
    }

    @Test func malformedTokensKeepTheirParsingErrors() throws {
        let key = try JWTKey.hmac(secret: "secret")
        #expect(throws: JWTError(.malformedToken)) { try JWTVerifier.verify(token: "a.b", key: key, algorithm: .hs256) }
        #expect(throws: JWTError(.invalidBase64)) {
            try JWTVerifier.verify(token: "a*.e30.AA", key: key, algorithm: .hs256)
        }
        let badJSON = TokenText.make(header: #"{"alg":"HS256""#, claims: "{}")
        #expect(throws: JWTError(.invalidJSON)) { try JWTVerifier.verify(token: badJSON, key: key, algorithm: .hs256) }
    }

    @Test func verifiesFromManyTasksAtOnce() async throws {
        let key = try JWTKey.hmac(secret: "secret")
        let token = try JWTSigner.sign(claims: ["sub": "u"], algorithm: .hs256, key: key)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 { _ = try JWTVerifier.verify(token: token, key: key, algorithm: .hs256) }
                }
            }
            try await group.waitForAll()
        }
    }
}
