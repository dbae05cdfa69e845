import Foundation
import Gateway
import GatewayTesting
import JWT
import NIOHTTP1
import Testing

@testable import GatewayPlugins

/// The `jwt` plugin verifying tokens against a JSON Web Key Set served by a loopback server: keys by `kid`,
/// fetched once for concurrent requests, fetched again for an unknown `kid` at most once per interval, and the
/// caller's identity from the claims.
@Suite struct JWTKeySetTests {
    static let now: Double = 1_767_225_600

    static func document(_ keys: [(JWTKeyPair, kid: String, alg: String)]) throws -> String {
        let set = JWKSet(keys: keys.map { pair, kid, alg in
            var jwk = pair.jwk
            jwk.kid = kid
            jwk.alg = alg
            jwk.use = "sig"
            return jwk
        })
        return String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
    }

    static func harness(_ server: TestDocumentServer, extra: String = "", clock: TestClock = TestClock(now: now)) throws -> PluginHarness {
        try PluginHarness(JWTPlugin.self, config: #"{"jwks_url": "\#(server.url)"\#(extra)}"#, clock: clock)
    }

    static func token(_ pair: JWTKeyPair, kid: String, algorithm: JWTAlgorithm = .rs256, claims: [String: JWT.JSONValue] = [:]) throws -> TestRequest {
        var all: [String: JWT.JSONValue] = ["sub": "user-1", "scope": "orders:read orders:write", "groups": ["admin", "ops"]]
        all.merge(claims) { _, new in new }
        let token = try JWTSigner.sign(claims: all, algorithm: algorithm, key: pair.signingKey(), kid: kid)
        return TestRequest(headers: ["Authorization": "Bearer \(token)"])
    }

    @Test func aTokenFromTheSetNeedsNoConsumer() async throws {
        let pair = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(pair, "k1", "RS256")]))
        defer { Task { await server.stop() } }
        let harness = try Self.harness(server)
        let run = try await harness.run(Self.token(pair, kid: "k1"))
        #expect(!run.wasAnswered)
        #expect(run.consumer == nil)
        #expect(run.upstreamHeaderChanges.addedValue("x-authenticated-userid") == "user-1")
        #expect(run.upstreamHeaderChanges.addedValue("x-authenticated-scope") == "orders:read orders:write")
        #expect(run.upstreamHeaderChanges.addedValue("x-consumer-groups") == "admin, ops")
        #expect(run.upstreamHeaderChanges.addedValue("x-credential-identifier") == "k1")
        #expect(try await !harness.run(Self.token(pair, kid: "k1", claims: ["n": 2])).wasAnswered)
        #expect(server.requests == 1)
    }

    @Test func concurrentRequestsShareOneFetch() async throws {
        let pair = try JWTKeyPair.ec("P-256")
        let server = try await TestDocumentServer.start(serving: try Self.document([(pair, "ec", "ES256")]))
        defer { Task { await server.stop() } }
        let harness = try Self.harness(server)
        let requests = try (0..<20).map { try Self.token(pair, kid: "ec", algorithm: .es256, claims: ["n": .number(Double($0))]) }
        let passed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for request in requests { group.addTask { try await !harness.run(request).wasAnswered } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(passed == 20)
        #expect(server.requests == 1)
    }

    @Test func anUnknownKidFetchesTheSetAgainAtMostOncePerInterval() async throws {
        let old = try JWTKeyPair.rsa()
        let new = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(old, "old", "RS256")]))
        defer { Task { await server.stop() } }
        let clock = TestClock(now: Self.now)
        let harness = try Self.harness(server, extra: #", "jwks_refetch_interval": 30"#, clock: clock)
        #expect(try await !harness.run(Self.token(old, kid: "old")).wasAnswered)
        server.serve(try Self.document([(old, "old", "RS256"), (new, "new", "RS256")]))
        clock.advance(by: 31)
        // The rotated key is fetched on first sight.
        #expect(try await !harness.run(Self.token(new, kid: "new")).wasAnswered)
        #expect(server.requests == 2)
        // A key id nobody published: refused, and the set is not fetched again within the interval.
        let stranger = try JWTKeyPair.rsa()
        clock.advance(by: 5)
        let refused = try await harness.run(Self.token(stranger, kid: "nope"))
        #expect(refused.response.status == .unauthorized)
        #expect(refused.response.body == #"{"message":"No credentials found for given 'kid'"}"#)
        #expect(try await harness.run(Self.token(stranger, kid: "nope")).response.status == .unauthorized)
        #expect(server.requests == 2)
    }

    @Test func aKeyThatDoesNotSignTheTokenIsAnInvalidSignature() async throws {
        let published = try JWTKeyPair.rsa()
        let forger = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(published, "k1", "RS256")]))
        defer { Task { await server.stop() } }
        let run = try await Self.harness(server).run(Self.token(forger, kid: "k1"))
        #expect(run.response.body == #"{"message":"Invalid signature"}"#)
    }

    @Test func symmetricAndUnlistedAlgorithmsAreRefused() async throws {
        let pair = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(pair, "k1", "RS256")]))
        defer { Task { await server.stop() } }
        let harness = try Self.harness(server, extra: #", "jwks_algorithms": ["RS256"]"#)
        let hmac = try JWTSigner.sign(claims: ["sub": "x"], algorithm: .hs256, key: .hmac(secret: pair.publicPEM), kid: "k1")
        #expect(try await harness.run(TestRequest(headers: ["Authorization": "Bearer \(hmac)"])).response.body == #"{"message":"Invalid algorithm"}"#)
        #expect(try await harness.run(Self.token(pair, kid: "k1", algorithm: .rs512)).response.body == #"{"message":"Invalid algorithm"}"#)
    }

    @Test func issuerAudienceAndExpiryAreChecked() async throws {
        let pair = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(pair, "k1", "RS256")]))
        defer { Task { await server.stop() } }
        let harness = try Self.harness(server, extra: #", "issuer": "https://users.acme", "audience": "acme-api""#)
        let good: [String: JWT.JSONValue] = ["iss": "https://users.acme", "aud": ["acme-api"], "exp": .number(Self.now + 60)]
        #expect(try await !harness.run(Self.token(pair, kid: "k1", claims: good)).wasAnswered)
        var wrongIssuer = good
        wrongIssuer["iss"] = "https://evil"
        #expect(try await harness.run(Self.token(pair, kid: "k1", claims: wrongIssuer)).response.body == #"{"iss":"invalid issuer"}"#)
        var wrongAudience = good
        wrongAudience["aud"] = "other"
        #expect(try await harness.run(Self.token(pair, kid: "k1", claims: wrongAudience)).response.body == #"{"aud":"invalid audience"}"#)
        // With a key set, an `exp` that is present always holds, even without `claims_to_verify`.
        var expired = good
        expired["exp"] = .number(Self.now - 1)
        #expect(try await harness.run(Self.token(pair, kid: "k1", claims: expired)).response.body == #"{"exp":"token expired"}"#)
    }

    @Test func aSetThatCannotBeFetchedIsAnError() async throws {
        let pair = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: "not json")
        defer { Task { await server.stop() } }
        let run = try await Self.harness(server).run(Self.token(pair, kid: "k1"))
        #expect(run.response.status == .internalServerError)
        #expect(run.response.body == #"{"message":"An unexpected error occurred"}"#)
    }

    @Test func aclReadsTheTokensGroups() async throws {
        let pair = try JWTKeyPair.rsa()
        let server = try await TestDocumentServer.start(serving: try Self.document([(pair, "k1", "RS256")]))
        defer { Task { await server.stop() } }
        let harness = try PluginHarness(chain: [
            (JWTPlugin.self, #"{"jwks_url": "\#(server.url)"}"#), (ACLPlugin.self, #"{"allow": ["admin"]}"#),
        ])
        #expect(try await !harness.run(Self.token(pair, kid: "k1")).wasAnswered)
        let user = try await harness.run(Self.token(pair, kid: "k1", claims: ["groups": ["users"]]))
        #expect(user.response.status == .forbidden)
    }
}
