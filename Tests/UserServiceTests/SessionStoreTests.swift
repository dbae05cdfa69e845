import Foundation
import ServiceKitTesting
import Testing
import UserService

extension UserServiceSuites {
    @Suite struct SessionStoreTests {
        static let session = RefreshSession(family: "f1", userID: "u1", clientID: "c1", scope: "profile")

        @Test(arguments: SessionKind.kinds)
        func refreshFamiliesRotateAndDieOnReuse(kind: SessionKind) async throws {
            try await withSessions(kind) { store in
                try await store.startRefreshFamily(tokenDigest: "t1", session: Self.session, lifetime: .seconds(60))
                #expect(try await store.refreshSession(tokenDigest: "t1") == Self.session)
                #expect(
                    try await store.rotateRefreshToken(tokenDigest: "t1", newTokenDigest: "t2")
                        == .rotated(Self.session))
                #expect(try await store.refreshSession(tokenDigest: "t1") == nil)
                #expect(try await store.refreshSession(tokenDigest: "t2") == Self.session)
                #expect(
                    try await store.rotateRefreshToken(tokenDigest: "t1", newTokenDigest: "t3") == .reused(family: "f1")
                )
                #expect(try await store.rotateRefreshToken(tokenDigest: "t2", newTokenDigest: "t4") == .invalid)
                #expect(try await store.refreshSession(tokenDigest: "t2") == nil)
                #expect(try await store.rotateRefreshToken(tokenDigest: "nope", newTokenDigest: "t5") == .invalid)

                try await store.startRefreshFamily(tokenDigest: "u1", session: Self.session, lifetime: .seconds(60))
                try await store.revokeRefreshFamily("f1")
                #expect(try await store.rotateRefreshToken(tokenDigest: "u1", newTokenDigest: "u2") == .invalid)
            }
        }

        @Test(arguments: SessionKind.kinds)
        func codesWorkOnceAndCountersCount(kind: SessionKind) async throws {
            try await withSessions(kind) { store in
                let grant = AuthorizationGrant(
                    userID: "u1", clientID: "c1", redirectURI: "http://x/cb", scope: "profile", codeChallenge: "c")
                try await store.saveAuthorizationCode(digest: "d", grant: grant, lifetime: .seconds(60))
                #expect(try await store.takeAuthorizationCode(digest: "d") == grant)
                #expect(try await store.takeAuthorizationCode(digest: "d") == nil)

                #expect(try await store.recordLoginFailure(keys: ["a", "b"], window: .seconds(60)) == [1, 1])
                #expect(try await store.recordLoginFailure(keys: ["a", "c"], window: .seconds(60)) == [2, 1])
                #expect(try await store.loginFailures(keys: ["a", "b", "z"]) == [2, 1, 0])
                try await store.clearLoginFailures(key: "a")
                #expect(try await store.loginFailures(keys: ["a"]) == [0])

                try await store.cacheProfile(userID: "u1", json: Data("{}".utf8), lifetime: .seconds(60))
                #expect(try await store.cachedProfile(userID: "u1") == Data("{}".utf8))
                try await store.invalidateProfile(userID: "u1")
                #expect(try await store.cachedProfile(userID: "u1") == nil)

                #expect(try await store.isAccessTokenRevoked(id: "j1") == false)
                try await store.revokeAccessToken(id: "j1", lifetime: .seconds(60))
                #expect(try await store.isAccessTokenRevoked(id: "j1"))
                try await store.ping()
            }
        }

        @Test(arguments: SessionKind.kinds)
        func entriesExpire(kind: SessionKind) async throws {
            try await withSessions(kind) { store in
                try await store.cacheProfile(userID: "u1", json: Data("{}".utf8), lifetime: .milliseconds(20))
                try await store.startRefreshFamily(
                    tokenDigest: "t1", session: Self.session, lifetime: .milliseconds(20))
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await store.cachedProfile(userID: "u1") == nil)
                #expect(try await store.rotateRefreshToken(tokenDigest: "t1", newTokenDigest: "t2") == .invalid)
            }
        }
    }
}
