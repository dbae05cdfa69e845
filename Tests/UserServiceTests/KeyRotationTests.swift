import Foundation
import HummingbirdTesting
import JWT
import ServiceKit
import ServiceKitTesting
import Testing
import UserService

extension UserServiceSuites {
    @Suite struct KeyRotationTests {
        @Test(arguments: Backend.all)
        func aTokenSignedByTheOldKeyPassesUntilItExpires(backend: Backend) async throws {
            try await UserServiceHarness.with(backend) { harness in
                try await harness.makeUser(email: "ann@example.com")
                let keyRing = harness.app.keyRing
                let verifier = harness.app.verifier
                let clock = harness.clock
                try await harness.test { client in
                    let old = try #require(try await client.passwordGrant("ann@example.com")["access_token"] as? String)
                    let oldKid = try JWTToken(parsing: old).header.kid
                    let newKid = try await keyRing.rotate(algorithm: .es256)
                    #expect(newKid != oldKid)

                    let kids = try #require(
                        try await client.json(.get, "/.well-known/jwks.json").object()["keys"] as? [[String: Any]]
                    ).compactMap { $0["kid"] as? String }
                    #expect(Set(kids) == Set([oldKid, newKid].compactMap { $0 }))

                    let fresh = try #require(
                        try await client.passwordGrant("ann@example.com")["access_token"] as? String)
                    #expect(try JWTToken(parsing: fresh).header.kid == newKid)
                    #expect(try await client.json(.get, "/users/me", token: old).status == .ok)
                    #expect(try await verifier.verify(old).subject.isEmpty == false)

                    // Past the old token's expiry (and the verifiers' 30 s leeway) it is refused; past the retention
                    // its key leaves the set.
                    clock.advance(seconds: 960)
                    #expect(try await client.json(.get, "/users/me", token: old).status == .unauthorized)
                    clock.advance(seconds: 300)
                    try await keyRing.reload()
                    let remaining = try #require(
                        try await client.json(.get, "/.well-known/jwks.json").object()["keys"] as? [[String: Any]]
                    ).compactMap { $0["kid"] as? String }
                    #expect(remaining == [newKid])
                }
            }
        }

        @Test(arguments: TestDatabase.kinds)
        func twoInstancesStartingAtOnceMigrateOnceAndShareOneKey(kind: TestDatabase.Kind) async throws {
            try await TestDatabase.with(kind) { first, test in
                let second = try await test.open()
                let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
                do {
                    try await Self.startTwice(first, second, bus: bus)
                    await second.close()
                    await bus.close()
                } catch {
                    await second.close()
                    await bus.close()
                    throw error
                }
            }
        }

        static func startTwice(_ first: any SQLDatabase, _ second: any SQLDatabase, bus: InProcessEventBus) async throws
        {
            let configuration = UserServiceHarness.configuration()
            async let one = UserServiceApp.make(
                configuration: configuration, database: first, sessions: MemorySessionStore(), bus: bus,
                logger: ServiceTestEnvironment.logger)
            async let two = UserServiceApp.make(
                configuration: configuration, database: second, sessions: MemorySessionStore(), bus: bus,
                logger: ServiceTestEnvironment.logger)
            let apps = try await [one, two]
            #expect(apps[0].keyRing.keySet() == apps[1].keyRing.keySet())
            #expect(try await apps[0].store.signingKeys().count == 1)
            #expect(try await apps[0].store.user(email: DemoData.email) != nil)
            #expect(try await apps[0].store.client(id: DemoData.clientID)?.isPublic == true)
            // A restart migrates nothing and keeps the key.
            let again = try await UserServiceApp.make(
                configuration: configuration, database: first, sessions: MemorySessionStore(), bus: bus,
                logger: ServiceTestEnvironment.logger)
            #expect(again.keyRing.keySet() == apps[0].keyRing.keySet())
        }
    }
}
