import Foundation
import Hummingbird
import ServiceKit

/// `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662). Either kind of token is accepted
/// whatever `token_type_hint` says: a refresh token is found by its digest, an access token by verifying it.
struct TokenInspection: Sendable {
    let clients: ClientAuthenticator
    let sessions: any SessionStore
    let verifier: TokenVerifier

    /// Revokes a refresh token's whole family, or marks an access token revoked until it expires (which
    /// introspection then reports; services that verify tokens locally accept it until then, which is why
    /// access tokens are short-lived). Only the client the token was issued to may revoke it; the answer is 200
    /// whether or not the token was known (RFC 7009 section 2.2).
    func revoke(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let form = try await TokenEndpoint.form(request)
        let client = try await self.clients.authenticate(request, form: form)
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is required") }
        if let session = try await self.sessions.refreshSession(tokenDigest: RandomToken.digest(token)) {
            if session.clientID == client.id { try await self.sessions.revokeRefreshFamily(session.family) }
        } else if let caller = try? await self.verifier.verify(token), caller.clientID == client.id,
            let id = caller.tokenID
        {
            let remaining = caller.expiresAt.timeIntervalSinceNow
            if remaining > 0 {
                try await self.sessions.revokeAccessToken(id: id, lifetime: .seconds(remaining.rounded(.up)))
            }
        }
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }

    struct Introspection: Encodable {
        var active: Bool
        var tokenType: String?
        var scope: String?
        var clientId: String?
        var sub: String?
        var exp: Int?
        var iss: String?
        var aud: String?
        var jti: String?
        var groups: [String]?
    }

    /// Tells a confidential client whether a token is active and what it carries (`{"active": false}` for any
    /// token that is not: unknown, expired, revoked or spent).
    func introspect(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let form = try await TokenEndpoint.form(request)
        let client = try await self.clients.authenticate(request, form: form)
        guard !client.isPublic else {
            throw OAuthError.invalidClient("introspection needs a confidential client", usedBasic: false)
        }
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is required") }
        var answer = Introspection(active: false)
        if let session = try await self.sessions.refreshSession(tokenDigest: RandomToken.digest(token)) {
            answer = Introspection(
                active: true, tokenType: "refresh_token", scope: session.scope, clientId: session.clientID,
                sub: session.userID)
        } else if let caller = try? await self.verifier.verify(token),
            !(try await self.sessions.isAccessTokenRevoked(id: caller.tokenID ?? ""))
        {
            answer = Introspection(
                active: true, tokenType: "Bearer", scope: caller.scopes.sorted().joined(separator: " "),
                clientId: caller.clientID, sub: caller.subject, exp: Int(caller.expiresAt.timeIntervalSince1970),
                iss: self.verifier.issuer, aud: self.verifier.audience, jti: caller.tokenID,
                groups: caller.groups.sorted())
        }
        return try JSONResponse.make(answer, headers: [.cacheControl: "no-store"])
    }
}
