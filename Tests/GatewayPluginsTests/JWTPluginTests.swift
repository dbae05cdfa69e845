import Gateway
import GatewayTesting
import JWT
import NIOHTTP1
import Testing

@testable import GatewayPlugins

/// Kong's `jwt` with consumers' credentials: where tokens are found, Kong 3.x's refusals, algorithms and keys,
/// claims on an injected clock, and the anonymous fallback.
@Suite struct JWTPluginTests {
    static let now: Double = 1_767_225_600
    static let secret = "a-very-secret-secret"

    static let consumers = """
        [{"username": "mobile-app", "custom_id": "app-7", "groups": ["customers"],
          "credentials": {"jwt": [{"key": "mobile-key", "secret": "\(secret)"},
                                  {"key": "b64-key", "secret": "c2VjcmV0LWJ5dGVz"},
                                  {"key": "strong-key", "algorithm": "HS512", "secret": "\(secret)"}]}},
         {"username": "guest"}]
        """

    static func harness(_ config: String = "{}", consumers: String = Self.consumers, clock: TestClock = TestClock()) throws -> PluginHarness {
        try PluginHarness(JWTPlugin.self, config: config, consumers: consumers, clock: clock)
    }

    static func token(_ claims: [String: JWT.JSONValue], algorithm: JWTAlgorithm = .hs256, secret: String = Self.secret) throws -> String {
        try JWTSigner.sign(claims: claims, algorithm: algorithm, key: .hmac(secret: secret))
    }

    static func bearer(_ token: String) -> TestRequest {
        TestRequest(headers: ["Authorization": "Bearer \(token)"])
    }

    @Test func validTokenAuthenticatesTheConsumer() async throws {
        let token = try Self.token(["iss": "mobile-key", "sub": "42"])
        let run = try await Self.harness().run(Self.bearer(token))
        #expect(!run.wasAnswered)
        #expect(run.consumer?.username == "mobile-app")
        #expect(run.upstreamHeaderChanges.addedValue("x-consumer-username") == "mobile-app")
        #expect(run.upstreamHeaderChanges.addedValue("x-consumer-custom-id") == "app-7")
        #expect(run.upstreamHeaderChanges.addedValue("x-consumer-groups") == "customers")
        #expect(run.upstreamHeaderChanges.addedValue("x-credential-identifier") == "mobile-key")
        #expect(run.context[JWTPlugin.AuthenticatedToken.self]?.sub == "42")
    }

    @Test func noTokenIsUnauthorizedWithABareChallenge() async throws {
        let run = try await Self.harness().run(TestRequest())
        #expect(run.response.status == .unauthorized)
        #expect(run.response.body == #"{"message":"Unauthorized"}"#)
        #expect(run.response.headers.first(name: "www-authenticate") == "Bearer")
    }

    @Test func tokensAreFoundInTheQueryCookiesAndConfiguredHeaders() async throws {
        let token = try Self.token(["iss": "mobile-key"])
        let harness = try Self.harness(#"{"cookie_names": ["session"], "header_names": ["authorization", "x-token"]}"#)
        #expect(try await !harness.run(TestRequest(.GET, "/?a=1&jwt=\(token)")).wasAnswered)
        #expect(try await !harness.run(TestRequest(headers: ["Cookie": "x=1; session=\(token)"])).wasAnswered)
        #expect(try await !harness.run(TestRequest(headers: ["X-Token": "bearer \(token)"])).wasAnswered)
        // The same token twice counts once; two different tokens are refused.
        #expect(try await !harness.run(TestRequest(.GET, "/?jwt=\(token)", headers: ["Authorization": "Bearer \(token)"])).wasAnswered)
        let other = try Self.token(["iss": "mobile-key", "n": 2])
        let two = try await harness.run(TestRequest(.GET, "/?jwt=\(other)", headers: ["Authorization": "Bearer \(token)"]))
        #expect(two.response.body == #"{"message":"Multiple tokens provided"}"#)
        #expect(two.response.headers.first(name: "www-authenticate") == #"Bearer error="invalid_token""#)
    }

    @Test(arguments: [
        ("not-a-token", #"{"message":"Bad token; invalid JSON"}"#),
        ("eyJhbGciOiJub25lIn0.eyJpc3MiOiJtb2JpbGUta2V5In0.", #"{"message":"Bad token; invalid alg"}"#),
    ])
    func malformedTokensAreRefused(token: String, body: String) async throws {
        let run = try await Self.harness().run(Self.bearer(token))
        #expect(run.response.status == .unauthorized)
        #expect(run.response.body == body)
    }

    @Test func theKeyClaimMustNameACredential() async throws {
        let harness = try Self.harness()
        #expect(try await harness.run(Self.bearer(Self.token(["sub": "1"]))).response.body == #"{"message":"No mandatory 'iss' in claims"}"#)
        #expect(try await harness.run(Self.bearer(Self.token(["iss": ""]))).response.body == #"{"message":"Invalid 'iss' in claims"}"#)
        #expect(
            try await harness.run(Self.bearer(Self.token(["iss": "nobody"]))).response.body
                == #"{"message":"No credentials found for given 'iss'"}"#
        )
        let custom = try Self.harness(#"{"key_claim_name": "kid"}"#)
        let token = try JWTSigner.sign(claims: ["sub": "1"], algorithm: .hs256, key: .hmac(secret: Self.secret), kid: "mobile-key")
        #expect(try await !custom.run(Self.bearer(token)).wasAnswered)
    }

    @Test func theAlgorithmMustBeTheCredentials() async throws {
        let harness = try Self.harness()
        let wrong = try Self.token(["iss": "strong-key"], algorithm: .hs256)
        #expect(try await harness.run(Self.bearer(wrong)).response.body == #"{"message":"Invalid algorithm"}"#)
        #expect(try await !harness.run(Self.bearer(Self.token(["iss": "strong-key"], algorithm: .hs512))).wasAnswered)
    }

    @Test func aBadSignatureIsRefused() async throws {
        let run = try await Self.harness().run(Self.bearer(Self.token(["iss": "mobile-key"], secret: "another-secret")))
        #expect(run.response.status == .unauthorized)
        #expect(run.response.body == #"{"message":"Invalid signature"}"#)
        #expect(run.response.headers.first(name: "www-authenticate") == #"Bearer error="invalid_token""#)
    }

    @Test func base64SecretsAreDecodedWhenAsked() async throws {
        let harness = try Self.harness(#"{"secret_is_base64": true}"#)
        #expect(try await !harness.run(Self.bearer(Self.token(["iss": "b64-key"], secret: "secret-bytes"))).wasAnswered)
        // A secret that is not base64 cannot verify anything.
        let invalid = try await harness.run(Self.bearer(Self.token(["iss": "mobile-key"])))
        #expect(invalid.response.body == #"{"message":"Invalid key/secret"}"# || invalid.response.body == #"{"message":"Invalid signature"}"#)
    }

    @Test(arguments: [JWTAlgorithm.rs256, .rs512, .es256, .es384])
    func publicKeyCredentialsVerifyTheirAlgorithm(algorithm: JWTAlgorithm) async throws {
        let pair = try algorithm.family == .rsa ? JWTKeyPair.rsa() : JWTKeyPair.ec(algorithm == .es256 ? "P-256" : "P-384")
        let consumers = """
            [{"username": "service", "credentials": {"jwt": [{"key": "svc", "algorithm": "\(algorithm.name)",
              "rsa_public_key": \(JSONText.quoted(pair.publicPEM))}]}}]
            """
        let harness = try Self.harness(consumers: consumers)
        let token = try JWTSigner.sign(claims: ["iss": "svc"], algorithm: algorithm, key: pair.signingKey())
        #expect(try await harness.run(Self.bearer(token)).consumer?.username == "service")
        // HS256 "signed" with the public key as the secret: the algorithm is refused before any verification.
        let forged = try Self.token(["iss": "svc"], algorithm: .hs256, secret: pair.publicPEM)
        #expect(try await harness.run(Self.bearer(forged)).response.body == #"{"message":"Invalid algorithm"}"#)
    }

    @Test func claimsAreCheckedOnTheClock() async throws {
        let clock = TestClock(now: Self.now)
        let harness = try Self.harness(#"{"claims_to_verify": ["exp", "nbf"]}"#, clock: clock)
        let token = try Self.token(["iss": "mobile-key", "exp": .number(Self.now + 60), "nbf": .number(Self.now - 1)])
        #expect(try await !harness.run(Self.bearer(token)).wasAnswered)
        clock.advance(by: 60)
        // Remembered, yet still expired at its `exp`.
        #expect(try await harness.run(Self.bearer(token)).response.body == #"{"exp":"token expired"}"#)

        let early = try Self.token(["iss": "mobile-key", "exp": .number(Self.now + 3600), "nbf": .number(Self.now + 600)])
        #expect(try await harness.run(Self.bearer(early)).response.body == #"{"nbf":"token not valid yet"}"#)
        let bare = try Self.token(["iss": "mobile-key"])
        #expect(try await harness.run(Self.bearer(bare)).response.body == #"{"exp":"must be a number","nbf":"must be a number"}"#)
    }

    @Test func leewayForgivesClockSkew() async throws {
        let clock = TestClock(now: Self.now)
        let harness = try Self.harness(#"{"claims_to_verify": ["exp"], "leeway": 30}"#, clock: clock)
        let token = try Self.token(["iss": "mobile-key", "exp": .number(Self.now - 10)])
        #expect(try await !harness.run(Self.bearer(token)).wasAnswered)
    }

    @Test func maximumExpirationBoundsATokensLifetime() async throws {
        let harness = try Self.harness(#"{"claims_to_verify": ["exp"], "maximum_expiration": 600}"#, clock: TestClock(now: Self.now))
        let long = try Self.token(["iss": "mobile-key", "exp": .number(Self.now + 3600)])
        #expect(try await harness.run(Self.bearer(long)).response.body == #"{"exp":"exceeds maximum allowed expiration"}"#)
        #expect(try await !harness.run(Self.bearer(Self.token(["iss": "mobile-key", "exp": .number(Self.now + 300)]))).wasAnswered)
    }

    @Test func anonymousStandsInForAFailedToken() async throws {
        let harness = try Self.harness(#"{"anonymous": "guest"}"#)
        let run = try await harness.run(Self.bearer("garbage"))
        #expect(!run.wasAnswered)
        #expect(run.upstreamHeaderChanges.addedValue("x-anonymous-consumer") == "true")
        #expect(run.consumer?.username == "guest")
        let missing = try await Self.harness(#"{"anonymous": "nobody"}"#).run(TestRequest())
        #expect(missing.response.status == .internalServerError)
        #expect(missing.response.body == #"{"message":"anonymous consumer nobody is configured but doesn't exist"}"#)
    }

    @Test func preflightAndRealm() async throws {
        #expect(try await !Self.harness(#"{"run_on_preflight": false}"#).run(TestRequest(.OPTIONS)).wasAnswered)
        let run = try await Self.harness(#"{"realm": "acme"}"#).run(Self.bearer("x.y.z"))
        #expect(run.response.headers.first(name: "www-authenticate") == #"Bearer realm="acme", error="invalid_token""#)
    }

    @Test func configurationAndCredentialsAreCheckedAtLoad() throws {
        #expect {
            try Self.harness(#"{"maximum_expiration": 60, "claims_to_verify": ["iat"]}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                #"plugins.json: plugins[0].config.claims_to_verify: expected "exp" or "nbf" in each entry, got "iat""#,
                #"plugins.json: plugins[0].config.claims_to_verify: must contain "exp" when maximum_expiration is above 0"#,
            ]
        }
        let consumers = """
            [{"username": "a", "credentials": {"jwt": [{"key": "k1"}, {"key": "k2", "algorithm": "RS256",
              "rsa_public_key": "not a pem"}, {"key": "k3", "algorithm": "PS256", "secret": "s"}]}}]
            """
        #expect {
            try Self.harness(consumers: consumers)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description) == [
                "plugins.json: consumers[0].credentials.jwt[0].secret: is required for HS256: a non-empty string",
                "plugins.json: consumers[0].credentials.jwt[1].rsa_public_key: expected a PEM public key, got text that is not one",
                #"plugins.json: consumers[0].credentials.jwt[2].algorithm: expected one of "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", got "PS256""#,
            ]
        }
        #expect(JWTPlugin.priority == 1450)
    }
}
