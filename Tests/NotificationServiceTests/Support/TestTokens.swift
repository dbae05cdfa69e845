import Foundation
import JWT
import ServiceKit

/// Tokens as the user service would issue them, signed with a test key the service trusts.
enum TestTokens {
    static let issuer = "http://users.test"
    static let pair = try! JWTKeyPair.ec("P-256")

    /// The keys the service verifies with.
    struct Keys: VerificationKeys {
        func keys(kid: String?) async throws -> [VerificationKey] {
            [VerificationKey(kid: "test", algorithm: .es256, key: try .publicKey(pem: TestTokens.pair.publicPEM))]
        }
    }

    static func token(subject: String, groups: [String] = []) -> String {
        let now = Date().timeIntervalSince1970
        let claims: [String: JSONValue] = [
            "iss": .string(Self.issuer), "sub": .string(subject), "aud": "acme-api", "exp": .number(now + 3600),
            "iat": .number(now), "scope": "", "groups": .array(groups.map { .string($0) }),
        ]
        return try! JWTSigner.sign(claims: claims, algorithm: .es256, key: try! Self.pair.signingKey(), kid: "test")
    }

    /// The token of user `ada`.
    static let ada = token(subject: "ada")
    /// The token of user `bob`.
    static let bob = token(subject: "bob")
    /// An administrator's token.
    static let admin = token(subject: "root", groups: ["admin"])
}
