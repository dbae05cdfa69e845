import Foundation
import Hummingbird
import HummingbirdTesting
import JWT
import NIOConcurrencyHelpers
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct TokenVerifierTests {
    struct StaticKeys: VerificationKeys {
        let keys: [VerificationKey]
        func keys(kid: String?) async throws -> [VerificationKey] { self.keys.filter { kid == nil || $0.kid == kid } }
    }

    static let pair = try! JWTKeyPair.rsa()
    static let issuer = "http://users.test"

    static func token(_ claims: [String: JSONValue] = [:], kid: String = "k1", pair: JWTKeyPair = pair) throws -> String
    {
        var all: [String: JSONValue] = [
            "iss": .string(issuer), "sub": "user-1", "aud": "acme-api",
            "exp": .number(Date().timeIntervalSince1970 + 300),
            "iat": .number(Date().timeIntervalSince1970), "jti": "t1", "scope": "users:read orders",
            "groups": ["admin"],
        ]
        for (name, value) in claims { all[name] = value }
        return try JWTSigner.sign(claims: all, algorithm: .rs256, key: try pair.signingKey(), kid: kid)
    }

    static let verifier = TokenVerifier(
        keys: StaticKeys(keys: [
            VerificationKey(kid: "k1", algorithm: .rs256, key: try! .publicKey(pem: pair.publicPEM))
        ]),
        issuer: issuer, leeway: 0)

    @Test func aValidTokenGivesItsCaller() async throws {
        let caller = try await Self.verifier.verify(try Self.token())
        #expect(caller.subject == "user-1")
        #expect(caller.scopes == ["users:read", "orders"])
        #expect(caller.isAdmin)
        #expect(!caller.isClient)
        #expect(caller.tokenID == "t1")
    }

    @Test func badTokensAreRefusedWith401() async throws {
        let other = try JWTKeyPair.rsa()
        let now = Date().timeIntervalSince1970
        let bad: [String] = [
            "not-a-token",
            try Self.token(["exp": .number(now - 10)]),
            try Self.token(["iss": "http://elsewhere"]),
            try Self.token(["aud": "other-api"]),
            try Self.token(kid: "k2"),
            try Self.token(pair: other),
            try JWTSigner.sign(claims: ["sub": "x"], algorithm: .hs256, key: try .hmac(secret: "s"), kid: "k1"),
        ]
        for token in bad {
            let problem = await #expect(throws: Problem.self) { try await Self.verifier.verify(token) }
            #expect(problem?.status == .unauthorized)
            #expect(problem?.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
        }
    }

    @Test func verifiedTokensAreRememberedUntilTheyExpire() async throws {
        final class CountingKeys: VerificationKeys {
            let lookups = NIOLockedValueBox(0)
            func keys(kid: String?) async throws -> [VerificationKey] {
                self.lookups.withLockedValue { $0 += 1 }
                return [
                    VerificationKey(
                        kid: "k1", algorithm: .rs256, key: try .publicKey(pem: TokenVerifierTests.pair.publicPEM))
                ]
            }
        }
        let keys = CountingKeys()
        let clock = NIOLockedValueBox(Date())
        let verifier = TokenVerifier(keys: keys, issuer: Self.issuer, leeway: 0, now: { clock.withLockedValue { $0 } })
        let token = try Self.token(["exp": .number(Date().timeIntervalSince1970 + 60)])
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        #expect(keys.lookups.withLockedValue { $0 } == 1)
        clock.withLockedValue { $0 += 61 }
        await #expect(throws: Problem.self) { try await verifier.verify(token) }
    }

    @Test func callersNeedOwnershipAdminOrScope() throws {
        let user = Caller(subject: "u1", clientID: "cli", scopes: [], groups: [], tokenID: nil, expiresAt: Date())
        #expect(throws: Never.self) { try user.requireOwnerOrAdmin("u1") }
        #expect(throws: Problem.self) { try user.requireOwnerOrAdmin("u2") }
        #expect(throws: Problem.self) { try user.requireAdmin() }
        let service = Caller(
            subject: "orders", clientID: "orders", scopes: ["users:read"], groups: [], tokenID: nil, expiresAt: Date())
        #expect(service.isClient)
        #expect(throws: Never.self) { try service.requireOwnerOrAdmin("u2", orScope: "users:read") }
        #expect(throws: Problem.self) { try service.requireUser() }
    }

    @Test func keySetsAreFetchedCachedAndRefetchedForAnUnknownKid() async throws {
        let second = try JWTKeyPair.rsa()
        let served = NIOLockedValueBox<[JWK]>([])
        let fetches = NIOLockedValueBox(0)
        @Sendable func jwk(_ pair: JWTKeyPair, _ kid: String) -> JWK {
            var jwk = pair.jwk
            jwk.kid = kid
            jwk.alg = "RS256"
            jwk.use = "sig"
            return jwk
        }
        served.withLockedValue { $0 = [jwk(Self.pair, "k1")] }
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ in
            fetches.withLockedValue { $0 += 1 }
            return try JSONResponse.make(JWKSet(keys: served.withLockedValue { $0 }))
        }
        try await Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: ServiceTestEnvironment.logger
        )
        .test(.live) { client in
            let url = "http://127.0.0.1:\(client.port!)/.well-known/jwks.json"
            let keys = JWKSKeys(url: url, refetchInterval: .zero, logger: ServiceTestEnvironment.logger)
            let verifier = TokenVerifier(keys: keys, issuer: Self.issuer)
            _ = try await verifier.verify(try Self.token())
            _ = try await verifier.verify(try Self.token())
            #expect(fetches.withLockedValue { $0 } == 1)
            served.withLockedValue { $0.append(jwk(second, "k2")) }
            let caller = try await verifier.verify(try Self.token(["sub": "user-2"], kid: "k2", pair: second))
            #expect(caller.subject == "user-2")
            #expect(fetches.withLockedValue { $0 } == 2)
        }
    }
}
