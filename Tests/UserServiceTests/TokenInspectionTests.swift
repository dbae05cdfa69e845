import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

extension UserServiceSuites {
    @Suite struct TokenInspectionTests {
        @Test(arguments: Backend.all)
        func introspectionReportsActiveTokensUntilTheyAreRevoked(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                let ann = try await harness.makeUser(email: "ann@example.com")
                let resource = try await harness.makeClient(grants: ["client_credentials"], scopes: [])
                try await harness.test { client in
                    let tokens = try await client.passwordGrant("ann@example.com")
                    let access = try #require(tokens["access_token"] as? String)
                    let refresh = try #require(tokens["refresh_token"] as? String)
                    func introspect(_ token: String) async throws -> [String: Any] {
                        let response = try await client.form(
                            "/oauth/introspect", [("token", token)], headers: basic(resource))
                        #expect(response.status == .ok)
                        return try response.object()
                    }
                    let active = try await introspect(access)
                    #expect(active["active"] as? Bool == true)
                    #expect(active["sub"] as? String == ann.id)
                    #expect(active["client_id"] as? String == DemoData.clientID)
                    #expect(active["token_type"] as? String == "Bearer")
                    #expect((active["exp"] as? Int ?? 0) > 0)
                    let refreshInfo = try await introspect(refresh)
                    #expect(refreshInfo["active"] as? Bool == true)
                    #expect(refreshInfo["token_type"] as? String == "refresh_token")
                    #expect(try await introspect("garbage").keys.sorted() == ["active"])

                    // Public clients may not introspect.
                    let publicClient = try await client.form(
                        "/oauth/introspect", [("token", access), ("client_id", DemoData.clientID)])
                    #expect(publicClient.status == .unauthorized)
                    #expect(try publicClient.string("error") == "invalid_client")

                    // Only the client a token was issued to revokes it; the answer is 200 either way.
                    let foreign = try await client.form("/oauth/revoke", [("token", access)], headers: basic(resource))
                    #expect(foreign.status == .ok)
                    #expect(try await introspect(access)["active"] as? Bool == true)

                    let revokeAccess = try await client.form(
                        "/oauth/revoke", [("token", access), ("client_id", DemoData.clientID)])
                    #expect(revokeAccess.status == .ok)
                    #expect(try await introspect(access)["active"] as? Bool == false)

                    let revokeRefresh = try await client.form(
                        "/oauth/revoke",
                        [("token", refresh), ("token_type_hint", "refresh_token"), ("client_id", DemoData.clientID)])
                    #expect(revokeRefresh.status == .ok)
                    #expect(try await introspect(refresh)["active"] as? Bool == false)
                    let refreshed = try await client.form(
                        "/oauth/token",
                        [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", DemoData.clientID)])
                    #expect(try refreshed.string("error") == "invalid_grant")
                    let unknown = try await client.form(
                        "/oauth/revoke", [("token", "nothing"), ("client_id", DemoData.clientID)])
                    #expect(unknown.status == .ok)
                }
            }
        }

        @Test func discoveryNamesTheEndpoints() async throws {
            try await UserServiceHarness.with(Backend.all[0], configure: { $0.signingAlgorithm = .rs256 }) { harness in
                try await harness.test { client in
                    let metadata = try await client.json(.get, "/.well-known/openid-configuration").object()
                    #expect(metadata["issuer"] as? String == "http://users.test")
                    #expect(metadata["token_endpoint"] as? String == "http://users.test/oauth/token")
                    #expect(metadata["jwks_uri"] as? String == "http://users.test/.well-known/jwks.json")
                    #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
                    let keys = try #require(
                        try await client.json(.get, "/.well-known/jwks.json").object()["keys"] as? [[String: Any]])
                    #expect(keys.count == 1)
                    #expect(keys[0]["use"] as? String == "sig")
                    #expect(keys[0]["alg"] as? String == "RS256")
                    #expect(keys[0]["d"] == nil)
                }
            }
        }
    }
}
