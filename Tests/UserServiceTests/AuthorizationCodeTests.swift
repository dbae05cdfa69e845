import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import ServiceKitTesting
import Testing

@testable import UserService

extension UserServiceSuites {
    @Suite struct AuthorizationCodeTests {
        static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        /// RFC 7636 appendix B's S256 challenge of that verifier.
        static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

        static func authorizeQuery(_ extra: [(String, String)] = [], challenge: String? = challenge) -> String {
            var pairs = [
                ("response_type", "code"), ("client_id", DemoData.clientID), ("redirect_uri", DemoData.redirectURI),
                ("state", "xyz"), ("code_challenge_method", "S256"),
            ]
            if let challenge { pairs.append(("code_challenge", challenge)) }
            return "/oauth/authorize?" + FormBody.encode(pairs + extra)
        }

        /// Logs in on the form and returns the redirect's query parameters.
        static func logIn(_ client: any TestClientProtocol, password: String = UserServiceHarness.password) async throws
            -> (TestResponse, FormBody?)
        {
            let pairs = [
                ("response_type", "code"), ("client_id", DemoData.clientID), ("redirect_uri", DemoData.redirectURI),
                ("state", "xyz"), ("code_challenge", Self.challenge), ("code_challenge_method", "S256"),
                ("email", "ann@example.com"), ("password", password),
            ]
            let response = try await client.form("/oauth/authorize", pairs)
            guard response.status == .found, let location = response.headers[.location],
                let query = location.split(separator: "?", maxSplits: 1).last
            else { return (response, nil) }
            return (response, FormBody(parsing: String(query)))
        }

        static func exchange(
            _ client: any TestClientProtocol, code: String, verifier: String = verifier,
            redirectURI: String = DemoData.redirectURI
        ) async throws -> TestResponse {
            try await client.form(
                "/oauth/token",
                [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                    ("code_verifier", verifier), ("client_id", DemoData.clientID),
                ])
        }

        @Test func pkceAgreesWithRFC7636sExample() {
            #expect(PKCE.challenge(for: Self.verifier) == Self.challenge)
        }

        @Test(arguments: Backend.all)
        func theLoginPageRedirectsWithACodeThatWorksOnceWithItsVerifier(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: "ann@example.com")
                try await harness.test { client in
                    let page = try await client.execute(uri: Self.authorizeQuery(), method: .get)
                    #expect(page.status == .ok)
                    #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    let html = String(buffer: page.body)
                    #expect(html.contains(#"<form method="post" action="/oauth/authorize">"#))
                    #expect(html.contains(#"name="code_challenge" value="\#(Self.challenge)""#))

                    let (wrong, _) = try await Self.logIn(client, password: "wrong")
                    #expect(wrong.status == .unauthorized)
                    #expect(String(buffer: wrong.body).contains("Wrong email or password."))

                    let (redirect, query) = try await Self.logIn(client)
                    #expect(redirect.status == .found)
                    #expect(redirect.headers[.location]?.hasPrefix(DemoData.redirectURI + "?") == true)
                    #expect(query?["state"] == "xyz")
                    let code = try #require(query?["code"])

                    let tokens = try await Self.exchange(client, code: code)
                    #expect(tokens.status == .ok)
                    #expect(try tokens.string("access_token") != nil)
                    #expect(try tokens.string("refresh_token") != nil)
                    #expect(try tokens.string("scope") == "profile orders")
                    let again = try await Self.exchange(client, code: code)
                    #expect(try again.string("error") == "invalid_grant")
                }
            }
        }

        @Test(arguments: Backend.all)
        func aWrongVerifierOrRedirectURIIsRefused(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: "ann@example.com")
                try await harness.test { client in
                    let (_, first) = try await Self.logIn(client)
                    let mismatch = try await Self.exchange(
                        client, code: try #require(first?["code"]), verifier: String(repeating: "a", count: 43))
                    #expect(mismatch.status == .badRequest)
                    #expect(try mismatch.string("error") == "invalid_grant")
                    #expect(try mismatch.string("error_description")?.contains("code_verifier") == true)

                    let (_, second) = try await Self.logIn(client)
                    let elsewhere = try await Self.exchange(
                        client, code: try #require(second?["code"]), redirectURI: "http://127.0.0.1:9999/callback")
                    #expect(try elsewhere.string("error") == "invalid_grant")

                    let (_, third) = try await Self.logIn(client)
                    let noVerifier = try await client.form(
                        "/oauth/token",
                        [
                            ("grant_type", "authorization_code"), ("code", try #require(third?["code"])),
                            ("redirect_uri", DemoData.redirectURI), ("client_id", DemoData.clientID),
                        ])
                    #expect(try noVerifier.string("error") == "invalid_request")
                }
            }
        }

        @Test func badAuthorizationRequestsAreShownOrSentBack() async throws {
            try await UserServiceHarness.with(Backend.all[0]) { harness in
                try await harness.test { client in
                    let unknownRedirect = try await client.execute(
                        uri: Self.authorizeQuery([("redirect_uri", "https://evil.example/cb")]), method: .get)
                    #expect(unknownRedirect.status == .badRequest)
                    #expect(unknownRedirect.headers[.location] == nil)
                    let unknownClient = try await client.execute(
                        uri: "/oauth/authorize?response_type=code&client_id=nobody", method: .get)
                    #expect(unknownClient.status == .badRequest)

                    let noChallenge = try await client.execute(uri: Self.authorizeQuery(challenge: nil), method: .get)
                    #expect(noChallenge.status == .found)
                    let location = try #require(noChallenge.headers[.location])
                    let query = FormBody(parsing: String(location.split(separator: "?", maxSplits: 1)[1]))
                    #expect(query["error"] == "invalid_request")
                    #expect(query["state"] == "xyz")
                    let plain = try await client.execute(
                        uri: Self.authorizeQuery([("code_challenge_method", "plain")]), method: .get)
                    #expect(plain.status == .found)
                    let scope = try await client.execute(
                        uri: Self.authorizeQuery([("scope", "users:read")]), method: .get)
                    #expect(scope.headers[.location]?.contains("error=invalid_scope") == true)
                }
            }
        }
    }
}
