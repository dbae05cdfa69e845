import Foundation
import JWT
import ServiceKit

/// Bearer tokens as the user service would issue them (ES256, audience `acme-api`, valid for an hour), signed with a
/// key pair of the tests' own. Configure the service under test with `issuer` and verify with `keys`.
public struct TestTokenIssuer: Sendable {
    /// The issuer the tokens name (`iss`), which the service must expect.
    public let issuer: String
    private let pair: JWTKeyPair

    /// An issuer named `issuer` with a new EC P-256 key pair.
    ///
    /// - Throws: `JWTError` when OpenSSL cannot make the key pair.
    public init(issuer: String = "http://users.test") throws {
        self.issuer = issuer
        self.pair = try JWTKeyPair.ec("P-256")
    }

    /// The keys the service verifies the tokens with.
    public var keys: some VerificationKeys { Keys(publicPEM: self.pair.publicPEM) }

    /// A token for `subject` with `scope` (space-separated) and `groups`.
    public func token(subject: String, scope: String = "", groups: [String] = []) -> String {
        let now = Date().timeIntervalSince1970
        let claims: [String: JSONValue] = [
            "iss": .string(self.issuer), "sub": .string(subject), "aud": "acme-api", "exp": .number(now + 3600),
            "iat": .number(now), "scope": .string(scope), "groups": .array(groups.map { .string($0) }),
        ]
        // ES256 with the pair's own private key always fits, so signing cannot fail.
        return try! JWTSigner.sign(claims: claims, algorithm: .es256, key: try! self.pair.signingKey(), kid: "test")
    }

    /// The issuer's public key, as the service's key set.
    private struct Keys: VerificationKeys {
        let publicPEM: String

        func keys(kid: String?) async throws -> [VerificationKey] {
            [VerificationKey(kid: "test", algorithm: .es256, key: try .publicKey(pem: self.publicPEM))]
        }
    }
}
