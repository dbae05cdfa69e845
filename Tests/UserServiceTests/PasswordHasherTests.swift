import Testing
import UserService

@Suite struct PasswordHasherTests {
    @Test func hashesArePHCStringsThatVerifyOnlyTheirPassword() async throws {
        let hasher = PasswordHasher(cost: .testing)
        let hash = try await hasher.hash("demo-password")
        #expect(hash.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
        #expect(try await hasher.verify("demo-password", against: hash))
        #expect(try await hasher.verify("demo-passwore", against: hash) == false)
        #expect(try await hasher.verify("demo-password", against: "$2b$10$notargon") == false)
        #expect(try await hasher.hash("demo-password") != hash)
        #expect(hasher.needsRehash(hash) == false)
        #expect(PasswordHasher().needsRehash(hash))
    }

    @Test func referenceHashesVerify() async throws {
        let vector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(try await PasswordHasher().verify("password", against: vector))
        #expect(PasswordHasher().needsRehash(vector))
    }

    @Test func theStandardCostIsOWASPs() async throws {
        let hash = try await PasswordHasher().hash("x")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
    }
}
