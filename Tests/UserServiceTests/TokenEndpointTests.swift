import Foundation
import Hummingbird
import HummingbirdTesting
import JWT
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

extension UserServiceSuites {
    @Suite struct TokenEndpointTests {
        static func error(_ response: TestResponse) throws -> String? {
            try response.string("error")
        }

        @Test(arguments: Backend.all)
        func thePasswordGrantIssuesASignedTokenWithTheClaims(backend: Backend) async throws {
            try await UserServiceHarness.with(backend, configure: { $0.signingAlgorithm = .rs256 }) { harness in
                let admin = try await harness.makeUser(email: UserServiceHarness.adminEmail, groups: ["admin"])
                try await harness.test { client in
                    let response = try await client.form(
                        "/oauth/token",
                        [
                            ("grant_type", "password"), ("username", UserServiceHarness.adminEmail),
                            ("password", UserServiceHarness.password), ("client_id", DemoData.clientID),
                            ("scope", "profile"),
                        ])
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let body = try response.object()
                    #expect(body["token_type"] as? String == "Bearer")
                    #expect(body["expires_in"] as? Int == 900)
                    #expect(body["scope"] as? String == "profile")
                    #expect((body["refresh_token"] as? String)?.isEmpty == false)
                    let token = try JWTToken(parsing: try #require(body["access_token"] as? String))
                    #expect(token.header.alg == "RS256")
                    #expect(token.header.kid != nil)
                    #expect(token.claims.iss == "http://users.test")
                    #expect(token.claims.sub == admin.id)
                    #expect(token.claims.aud == ["acme-api"])
                    #expect(token.claims.scope == "profile")
                    #expect(token.claims["groups"] == ["admin"])
                    #expect(token.claims["jti"]?.stringValue?.isEmpty == false)
                    let exp = try #require(token.claims.exp)
                    let iat = try #require(token.claims.iat)
                    #expect(exp - iat == 900)
                }
            }
        }

        @Test func passwordGrantFailuresAreRFC6749Errors() async throws {
            try await UserServiceHarness.with(Backend.all[0]) { harness in
                try await harness.makeUser(email: "ann@example.com")
                let confidential = try await harness.makeClient(grants: ["password"], scopes: ["profile"])
                let service = try await harness.makeClient(grants: ["client_credentials"], scopes: ["users:read"])
                try await harness.test { client in
                    func post(_ pairs: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
                        try await client.form("/oauth/token", pairs, headers: headers)
                    }
                    let login = [("grant_type", "password"), ("username", "ann@example.com")]
                    func check(
                        _ response: TestResponse, _ status: HTTPResponse.Status, _ error: String,
                        _ location: SourceLocation = #_sourceLocation
                    ) throws {
                        #expect(response.status == status, sourceLocation: location)
                        #expect(try Self.error(response) == error, sourceLocation: location)
                        #expect(response.headers[.contentType] == "application/json", sourceLocation: location)
                    }
                    let right = UserServiceHarness.password
                    try check(
                        try await post(login + [("password", "wrong"), ("client_id", "acme-cli")]), .badRequest,
                        "invalid_grant")
                    try check(
                        try await post(login + [("password", "x"), ("client_id", "nobody")]), .unauthorized,
                        "invalid_client")
                    try check(try await post(login + [("password", "x")]), .unauthorized, "invalid_client")
                    try check(
                        try await post(login + [("password", right), ("client_id", confidential.clientId)]),
                        .unauthorized,
                        "invalid_client")
                    try check(
                        try await post(
                            login + [("password", right), ("client_id", "acme-cli"), ("client_secret", "x")]),
                        .unauthorized, "invalid_client")
                    try check(
                        try await post(login + [("password", right)], headers: basic(service)), .badRequest,
                        "unauthorized_client")
                    try check(
                        try await post([("grant_type", "magic"), ("client_id", "acme-cli")]), .badRequest,
                        "unsupported_grant_type")
                    try check(try await post([("client_id", "acme-cli")]), .badRequest, "invalid_request")
                    try check(try await post(login + [("client_id", "acme-cli")]), .badRequest, "invalid_request")
                    try check(
                        try await post(
                            login + [("password", right), ("client_id", "acme-cli"), ("scope", "users:read")]),
                        .badRequest, "invalid_scope")
                    try check(
                        try await post(login + [("password", "a"), ("password", "b"), ("client_id", "acme-cli")]),
                        .badRequest,
                        "invalid_request")
                    let basicFailure = try await post(
                        [("grant_type", "client_credentials")],
                        headers: basic(
                            ClientRegistration.Credentials(clientId: service.clientId, clientSecret: "wrong")))
                    #expect(basicFailure.status == .unauthorized)
                    #expect(basicFailure.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                    let json = try await client.json(.post, "/oauth/token", body: #"{"grant_type": "password"}"#)
                    #expect(json.status == .badRequest)
                    #expect(try Self.error(json) == "invalid_request")
                }
            }
        }

        @Test(arguments: Backend.all)
        func clientCredentialsGiveAServiceItsOwnToken(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                let service = try await harness.makeClient(
                    grants: ["client_credentials"], scopes: ["users:read", "inventory:write"])
                try await harness.test { client in
                    let response = try await client.form(
                        "/oauth/token", [("grant_type", "client_credentials"), ("scope", "users:read")],
                        headers: basic(service))
                    #expect(response.status == .ok)
                    #expect(try response.object()["refresh_token"] == nil)
                    let token = try JWTToken(parsing: try #require(try response.string("access_token")))
                    #expect(token.claims.sub == service.clientId)
                    #expect(token.claims["client_id"]?.stringValue == service.clientId)
                    #expect(token.claims.scope == "users:read")
                    // client_secret_post works too.
                    let posted = try await client.form(
                        "/oauth/token",
                        [
                            ("grant_type", "client_credentials"), ("client_id", service.clientId),
                            ("client_secret", service.clientSecret!),
                        ])
                    #expect(try posted.string("scope") == "users:read inventory:write")
                    let publicClient = try await client.form(
                        "/oauth/token", [("grant_type", "client_credentials"), ("client_id", DemoData.clientID)])
                    #expect(try Self.error(publicClient) == "unauthorized_client")
                }
            }
        }

        @Test(arguments: Backend.all)
        func refreshTokensRotateAndAReusedOneRevokesTheFamily(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: "ann@example.com")
                let other = try await harness.makeClient(
                    grants: ["password", "refresh_token"], scopes: ["profile", "orders"])
                try await harness.test { client in
                    let first = try #require(
                        try await client.passwordGrant("ann@example.com")["refresh_token"] as? String)
                    func refresh(_ token: String, scope: String? = nil, headers: HTTPFields = [:]) async throws
                        -> TestResponse
                    {
                        var pairs = [("grant_type", "refresh_token"), ("refresh_token", token)]
                        if headers.isEmpty { pairs.append(("client_id", DemoData.clientID)) }
                        if let scope { pairs.append(("scope", scope)) }
                        return try await client.form("/oauth/token", pairs, headers: headers)
                    }
                    // Another client cannot use it, and does not spend it.
                    #expect(try Self.error(try await refresh(first, headers: basic(other))) == "invalid_grant")
                    let second = try await refresh(first, scope: "profile")
                    #expect(second.status == .ok)
                    #expect(try second.string("scope") == "profile")
                    let secondToken = try #require(try second.string("refresh_token"))
                    #expect(secondToken != first)
                    // More scope than the login granted is refused, without spending the token.
                    #expect(
                        try Self.error(try await refresh(secondToken, scope: "profile users:read")) == "invalid_scope")
                    let third = try await refresh(secondToken)
                    #expect(third.status == .ok)
                    let thirdToken = try #require(try third.string("refresh_token"))
                    // Replaying a spent token revokes the family: the newest token stops working too.
                    let replay = try await refresh(first)
                    #expect(replay.status == .badRequest)
                    #expect(try Self.error(replay) == "invalid_grant")
                    #expect(try Self.error(try await refresh(thirdToken)) == "invalid_grant")
                    #expect(try Self.error(try await refresh("made-up")) == "invalid_grant")
                    // A new login starts a new family.
                    let fresh = try #require(
                        try await client.passwordGrant("ann@example.com")["refresh_token"] as? String)
                    #expect(try await refresh(fresh).status == .ok)
                }
            }
        }

        @Test(arguments: Backend.all)
        func repeatedFailuresLockTheAccountForAWhile(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: "ann@example.com")
                try await harness.makeUser(email: "bob@example.com")
                try await harness.test { client in
                    let pairs = [
                        ("grant_type", "password"), ("username", "ann@example.com"), ("client_id", DemoData.clientID),
                    ]
                    for _ in 0..<3 {
                        let failed = try await client.form("/oauth/token", pairs + [("password", "wrong")])
                        #expect(try Self.error(failed) == "invalid_grant")
                    }
                    let locked = try await client.form(
                        "/oauth/token", pairs + [("password", UserServiceHarness.password)])
                    #expect(locked.status == .badRequest)
                    #expect(try locked.string("error_description")?.contains("too many") == true)
                    #expect(locked.headers[.retryAfter] == "60")
                    // Another account is not locked.
                    _ = try await client.passwordGrant("bob@example.com")
                }
            }
        }

        @Test func theThrottleSlowsBeforeItLocks() {
            let throttle = LoginThrottle(sessions: MemorySessionStore(), policy: .standard)
            #expect(throttle.decision(account: 0, address: 0) == .proceed(delay: .zero))
            #expect(throttle.decision(account: 4, address: 0) == .proceed(delay: .zero))
            #expect(throttle.decision(account: 5, address: 0) == .proceed(delay: .milliseconds(500)))
            #expect(throttle.decision(account: 7, address: 0) == .proceed(delay: .seconds(2)))
            #expect(throttle.decision(account: 9, address: 0) == .proceed(delay: .seconds(8)))
            #expect(throttle.decision(account: 10, address: 0) == .locked(retryAfter: .seconds(900)))
            #expect(throttle.decision(account: 0, address: 60) == .proceed(delay: .seconds(8)))
            #expect(throttle.decision(account: 0, address: 200) == .locked(retryAfter: .seconds(900)))
        }

        @Test func es256IsSelectable() async throws {
            try await UserServiceHarness.with(Backend.all[0], configure: { $0.signingAlgorithm = .es256 }) { harness in
                try await harness.makeUser(email: "ann@example.com")
                let verifier = harness.app.verifier
                try await harness.test { client in
                    let token = try #require(
                        try await client.passwordGrant("ann@example.com")["access_token"] as? String)
                    #expect(try JWTToken(parsing: token).header.alg == "ES256")
                    #expect(try await verifier.verify(token).subject.isEmpty == false)
                    let keys =
                        try await client.json(.get, "/.well-known/jwks.json").object()["keys"] as? [[String: Any]]
                    #expect(keys?.first?["kty"] as? String == "EC")
                    #expect(keys?.first?["crv"] as? String == "P-256")
                }
            }
        }
    }
}
