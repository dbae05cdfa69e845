import Foundation
import HummingbirdTesting
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

extension UserServiceSuites {
    @Suite struct AccountRoutesTests {
        @Test(arguments: Backend.all)
        func registrationNormalisesTheEmailRefusesDuplicatesAndPublishesTheEvent(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                let (events, delivered) = AsyncStream<EventEnvelope>.makeStream()
                try await harness.bus.subscribe("user.registered", name: "test") { event in
                    if event.data.objectValue?["email"] == "ann@example.com" { delivered.yield(event) }
                }
                try await harness.test { client in
                    let created = try await client.json(
                        .post, "/users",
                        body: #"{"email": " Ann@Example.COM ", "password": "long enough", "name": "Ann"}"#)
                    #expect(created.status == .created)
                    let id = try #require(try created.string("id"))
                    #expect(created.headers[.location] == "/users/\(id)")
                    #expect(try created.string("email") == "ann@example.com")
                    #expect(try created.object()["password_hash"] == nil)
                    #expect(try created.object()["password"] == nil)

                    let duplicate = try await client.json(
                        .post, "/users",
                        body: #"{"email": "ann@example.com", "password": "long enough", "name": "Ann 2"}"#)
                    #expect(duplicate.status == .conflict)
                    #expect(duplicate.headers[.contentType] == "application/problem+json")

                    let token = try #require(
                        try await client.passwordGrant("ANN@example.com", "long enough")["access_token"] as? String)
                    let me = try await client.json(.get, "/users/me", token: token)
                    #expect(me.status == .ok)
                    #expect(try me.string("id") == id)
                }
                // The application's relay may have sent it already; a pass here sends it otherwise.
                try await harness.app.relay.relayPending()
                let registered = await firstElement(of: events)
                #expect(registered?.type == "user.registered")
                #expect(registered?.data.objectValue?["name"] == "Ann")
                #expect(registered?.data.objectValue?["user_id"]?.stringValue?.isEmpty == false)
            }
        }

        @Test func invalidRegistrationsNameEachField() async throws {
            try await UserServiceHarness.with(Backend.all[0]) { harness in
                try await harness.test { client in
                    let response = try await client.json(
                        .post, "/users", body: #"{"email": "not-an-email", "password": "short", "name": "  "}"#)
                    #expect(response.status == .badRequest)
                    let errors = try #require(try response.object()["errors"] as? [[String: String]])
                    #expect(Set(errors.compactMap { $0["field"] }) == ["email", "password", "name"])
                    let unknown = try await client.json(
                        .post, "/users",
                        body: #"{"email": "a@b.co", "password": "long enough", "name": "A", "admin": true}"#)
                    #expect(unknown.status == .badRequest)
                    #expect(try unknown.string("detail") == "unknown field: admin")
                    let wrongType = try await client.json(
                        .post, "/users", body: #"{"email": "a@b.co", "password": 12345678, "name": "A"}"#)
                    let field = (try wrongType.object()["errors"] as? [[String: String]])?.first?["field"]
                    #expect(field == "password")
                }
            }
        }

        @Test(arguments: Backend.all)
        func ownersAdminsAndScopesDecideWhoSeesAndChangesWhat(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                let ann = try await harness.makeUser(email: "ann@example.com")
                let bob = try await harness.makeUser(email: "bob@example.com")
                try await harness.makeUser(email: UserServiceHarness.adminEmail, groups: ["admin"])
                let reader = try await harness.makeClient(grants: ["client_credentials"], scopes: ["users:read"])
                try await harness.test { client in
                    let annToken = try #require(
                        try await client.passwordGrant("ann@example.com")["access_token"] as? String)
                    let adminToken = try #require(
                        try await client.passwordGrant(UserServiceHarness.adminEmail)["access_token"] as? String)
                    let service = try await client.form(
                        "/oauth/token", [("grant_type", "client_credentials")], headers: basic(reader))
                    let serviceToken = try #require(try service.string("access_token"))

                    #expect(try await client.json(.get, "/users/\(bob.id)", token: annToken).status == .forbidden)
                    #expect(try await client.json(.get, "/users/\(ann.id)", token: annToken).status == .ok)
                    #expect(try await client.json(.get, "/users/\(bob.id)", token: adminToken).status == .ok)
                    #expect(try await client.json(.get, "/users/\(bob.id)", token: serviceToken).status == .ok)
                    #expect(try await client.json(.get, "/users/me", token: serviceToken).status == .forbidden)
                    #expect(try await client.json(.get, "/users/\(bob.id)").status == .unauthorized)
                    let badToken = try await client.json(.get, "/users/me", token: "not.a.token")
                    #expect(badToken.status == .unauthorized)
                    #expect(badToken.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

                    #expect(
                        try await client.json(.patch, "/users/\(bob.id)", token: annToken, body: #"{"name": "X"}"#)
                            .status == .forbidden)
                    #expect(
                        try await client.json(
                            .patch, "/users/\(ann.id)", token: annToken, body: #"{"groups": ["admin"]}"#
                        ).status
                            == .forbidden)
                    let renamed = try await client.json(
                        .patch, "/users/\(ann.id)", token: annToken, body: #"{"name": "Ann B"}"#)
                    #expect(renamed.status == .ok)
                    #expect(try renamed.string("name") == "Ann B")
                    let taken = try await client.json(
                        .patch, "/users/\(ann.id)", token: annToken, body: #"{"email": "BOB@example.com"}"#)
                    #expect(taken.status == .conflict)
                    let promoted = try await client.json(
                        .patch, "/users/\(bob.id)", token: adminToken, body: #"{"groups": ["admin"]}"#)
                    #expect((try promoted.object()["groups"] as? [String]) == ["admin"])

                    #expect(try await client.json(.get, "/users", token: annToken).status == .forbidden)
                    #expect(try await client.json(.delete, "/users/\(bob.id)", token: annToken).status == .forbidden)
                    #expect(try await client.json(.delete, "/users/\(ann.id)", token: annToken).status == .noContent)
                    #expect(try await client.json(.get, "/users/\(ann.id)", token: adminToken).status == .notFound)
                    #expect(try await client.json(.get, "/users/me", token: annToken).status == .notFound)
                    #expect(try await client.json(.delete, "/users/\(ann.id)", token: adminToken).status == .notFound)
                }
            }
        }

        @Test(arguments: Backend.all)
        func administratorsListUsersPageByPage(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: UserServiceHarness.adminEmail, groups: ["admin"])
                for index in 0..<4 { try await harness.makeUser(email: "user\(index)@example.com") }
                try await harness.test { client in
                    let token = try #require(
                        try await client.passwordGrant(UserServiceHarness.adminEmail)["access_token"] as? String)
                    var seen: [String] = []
                    var cursor: String?
                    var pages = 0
                    repeat {
                        let uri = "/users?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                        let page = try await client.json(.get, uri, token: token)
                        #expect(page.status == .ok)
                        let body = try page.object()
                        let data = try #require(body["data"] as? [[String: Any]])
                        seen += data.compactMap { $0["email"] as? String }
                        #expect(body.keys.contains("next_cursor"))
                        cursor = body["next_cursor"] as? String
                        pages += 1
                    } while cursor != nil && pages < 10
                    // The demo user, the administrator and four users.
                    #expect(seen.count == 6)
                    #expect(Set(seen).count == 6)
                    #expect(pages == 3)
                    #expect(try await client.json(.get, "/users?limit=0", token: token).status == .badRequest)
                    #expect(try await client.json(.get, "/users?cursor=%%%", token: token).status == .badRequest)
                }
            }
        }

        @Test(arguments: Backend.all)
        func profileCacheIsInvalidatedOnUpdateAndDelete(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                let ann = try await harness.makeUser(email: "ann@example.com")
                let sessions = harness.app.sessions
                try await harness.test { client in
                    let token = try #require(
                        try await client.passwordGrant("ann@example.com")["access_token"] as? String)
                    #expect(try await sessions.cachedProfile(userID: ann.id) == nil)
                    _ = try await client.json(.get, "/users/me", token: token)
                    #expect(try await sessions.cachedProfile(userID: ann.id) != nil)
                    _ = try await client.json(.patch, "/users/\(ann.id)", token: token, body: #"{"name": "New Name"}"#)
                    #expect(try await sessions.cachedProfile(userID: ann.id) == nil)
                    #expect(try await client.json(.get, "/users/me", token: token).string("name") == "New Name")
                    #expect(try await sessions.cachedProfile(userID: ann.id) != nil)
                    _ = try await client.json(.delete, "/users/\(ann.id)", token: token)
                    #expect(try await sessions.cachedProfile(userID: ann.id) == nil)
                    #expect(try await client.json(.get, "/users/me", token: token).status == .notFound)
                }
            }
        }
    }
}
