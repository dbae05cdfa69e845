import Foundation
import JWT
import ServiceKit

/// Issues the service's tokens: access tokens as JWTs signed with the key ring's current key (`iss`, `sub`, `aud`
/// `acme-api`, `exp`, `iat`, `jti`, `scope`, `groups`, `client_id`), and opaque refresh tokens whose families live
/// in the session store.
struct TokenIssuer: Sendable {
    let keyRing: KeyRing
    let sessions: any SessionStore
    let issuer: String
    let audience: String
    let accessTokenLifetime: Duration
    let refreshTokenLifetime: Duration
    let now: @Sendable () -> Date

    /// A signed access token and its lifetime in seconds.
    func accessToken(subject: String, clientID: String, scope: String, groups: [String]) throws -> (String, Int) {
        let key = try self.keyRing.signingKey()
        let issuedAt = self.now().timeIntervalSince1970.rounded(.down)
        let lifetime = Int(self.accessTokenLifetime.components.seconds)
        let claims: [String: JSONValue] = [
            "iss": .string(self.issuer),
            "sub": .string(subject),
            "aud": .string(self.audience),
            "iat": .number(issuedAt),
            "exp": .number(issuedAt + Double(lifetime)),
            "jti": .string(UUID().uuidString.lowercased()),
            "scope": .string(scope),
            "groups": .array(groups.map(JSONValue.string)),
            "client_id": .string(clientID),
        ]
        let token = try JWTSigner.sign(
            claims: claims, algorithm: key.record.algorithm, key: key.privateKey, kid: key.record.kid)
        return (token, lifetime)
    }

    /// The first refresh token of a new family (a login).
    func startRefreshFamily(userID: String, clientID: String, scope: String) async throws -> String {
        let token = RandomToken.make()
        let session = RefreshSession(
            family: RandomToken.make(bytes: 16), userID: userID, clientID: clientID, scope: scope)
        try await self.sessions.startRefreshFamily(
            tokenDigest: RandomToken.digest(token), session: session, lifetime: self.refreshTokenLifetime)
        return token
    }
}
