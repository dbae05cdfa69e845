import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

/// `POST /oauth/token` (RFC 6749 section 3.2): the `password`, `client_credentials`, `refresh_token` and
/// `authorization_code` (with PKCE) grants. Answers `{"access_token", "token_type": "Bearer", "expires_in",
/// "scope", "refresh_token"?}` with `Cache-Control: no-store`, or an `OAuthError`.
struct TokenEndpoint: Sendable {
    let clients: ClientAuthenticator
    let login: PasswordLogin
    let issuer: TokenIssuer
    let store: any UserStore
    let sessions: any SessionStore

    struct TokenResponse: Encodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
        let scope: String
        let refreshToken: String?
    }

    func handle(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        if let name = form.repeated.sorted().first {
            throw OAuthError.invalidRequest("parameter \(name) is given more than once")
        }
        let client = try await self.clients.authenticate(request, form: form)
        guard let grant = form["grant_type"] else { throw OAuthError.invalidRequest("grant_type is required") }
        guard ["password", "client_credentials", "refresh_token", "authorization_code"].contains(grant) else {
            throw OAuthError.unsupportedGrantType("grant_type \(grant) is not supported")
        }
        guard client.allows(grant: grant) else {
            throw OAuthError.unauthorizedClient("this client may not use the \(grant) grant")
        }
        let response: TokenResponse
        switch grant {
        case "password":
            response = try await self.password(form, client: client, request: request, context: context)
        case "client_credentials":
            response = try self.clientCredentials(form, client: client)
        case "refresh_token":
            response = try await self.refresh(form, client: client, logger: context.logger)
        default:
            response = try await self.authorizationCode(form, client: client)
        }
        return try JSONResponse.make(
            response, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    private func password(
        _ form: FormBody, client: OAuthClientRecord, request: Request, context: ServiceRequestContext
    ) async throws -> TokenResponse {
        guard let username = form["username"], let password = form.values["password"] else {
            throw OAuthError.invalidRequest("username and password are required")
        }
        let scope = try Scopes.grant(form["scope"], allowed: client.scopes)
        let user: UserRecord
        do {
            user = try await self.login.authenticate(
                email: username, password: password, address: PasswordLogin.clientAddress(request, context: context),
                logger: context.logger)
        } catch PasswordLogin.Failure.invalidCredentials {
            throw OAuthError.invalidGrant("invalid username or password")
        } catch PasswordLogin.Failure.locked(let retryAfter) {
            var error = OAuthError.invalidGrant("too many failed logins; try again later")
            error.headers[.retryAfter] = String(retryAfter.components.seconds)
            throw error
        }
        return try await self.userTokens(user: user, client: client, scope: scope)
    }

    private func clientCredentials(_ form: FormBody, client: OAuthClientRecord) throws -> TokenResponse {
        guard !client.isPublic else {
            throw OAuthError.unauthorizedClient("a public client cannot use the client_credentials grant")
        }
        let scope = try Scopes.grant(form["scope"], allowed: client.scopes)
        let (token, lifetime) = try self.issuer.accessToken(
            subject: client.id, clientID: client.id, scope: scope, groups: [])
        return TokenResponse(accessToken: token, expiresIn: lifetime, scope: scope, refreshToken: nil)
    }

    private func refresh(_ form: FormBody, client: OAuthClientRecord, logger: Logger) async throws -> TokenResponse {
        guard let presented = form["refresh_token"] else {
            throw OAuthError.invalidRequest("refresh_token is required")
        }
        let digest = RandomToken.digest(presented)
        // A token shown by another client, or asked for more scope, is refused without spending it.
        if let session = try await self.sessions.refreshSession(tokenDigest: digest) {
            guard session.clientID == client.id else {
                throw OAuthError.invalidGrant("the refresh token was issued to another client")
            }
            _ = try Scopes.narrow(form["scope"], original: session.scope)
        }
        let next = RandomToken.make()
        switch try await self.sessions.rotateRefreshToken(tokenDigest: digest, newTokenDigest: RandomToken.digest(next))
        {
        case .invalid:
            throw OAuthError.invalidGrant("the refresh token is invalid, expired or revoked")
        case .reused(let family):
            logger.warning("refresh token reused: family revoked", metadata: ["family": "\(family)"])
            throw OAuthError.invalidGrant("the refresh token was already used; the session has been revoked")
        case .rotated(let session):
            guard session.clientID == client.id else {
                try await self.sessions.revokeRefreshFamily(session.family)
                throw OAuthError.invalidGrant("the refresh token was issued to another client")
            }
            guard let user = try await self.store.user(id: session.userID) else {
                try await self.sessions.revokeRefreshFamily(session.family)
                throw OAuthError.invalidGrant("the account no longer exists")
            }
            let scope = try Scopes.narrow(form["scope"], original: session.scope)
            let (token, lifetime) = try self.issuer.accessToken(
                subject: user.id, clientID: client.id, scope: scope, groups: user.groups)
            return TokenResponse(accessToken: token, expiresIn: lifetime, scope: scope, refreshToken: next)
        }
    }

    private func authorizationCode(_ form: FormBody, client: OAuthClientRecord) async throws -> TokenResponse {
        guard let code = form["code"], let redirectURI = form["redirect_uri"] else {
            throw OAuthError.invalidRequest("code and redirect_uri are required")
        }
        guard let verifier = form["code_verifier"] else { throw OAuthError.invalidRequest("code_verifier is required") }
        guard let grant = try await self.sessions.takeAuthorizationCode(digest: RandomToken.digest(code)) else {
            throw OAuthError.invalidGrant("the authorization code is invalid, expired or used")
        }
        guard grant.clientID == client.id else {
            throw OAuthError.invalidGrant("the authorization code was issued to another client")
        }
        guard grant.redirectURI == redirectURI else {
            throw OAuthError.invalidGrant("redirect_uri differs from the authorization request's")
        }
        guard PKCE.verify(verifier: verifier, challenge: grant.codeChallenge) else {
            throw OAuthError.invalidGrant("the code_verifier does not match the code_challenge")
        }
        guard let user = try await self.store.user(id: grant.userID) else {
            throw OAuthError.invalidGrant("the account no longer exists")
        }
        return try await self.userTokens(user: user, client: client, scope: grant.scope)
    }

    /// An access token for `user`, and the first refresh token of a new login when the client may refresh.
    private func userTokens(
        user: UserRecord, client: OAuthClientRecord, scope: String
    ) async throws -> TokenResponse {
        let (token, lifetime) = try self.issuer.accessToken(
            subject: user.id, clientID: client.id, scope: scope, groups: user.groups)
        var refresh: String?
        if client.allows(grant: "refresh_token") {
            refresh = try await self.issuer.startRefreshFamily(userID: user.id, clientID: client.id, scope: scope)
        }
        return TokenResponse(accessToken: token, expiresIn: lifetime, scope: scope, refreshToken: refresh)
    }

    /// The request's form, as an `OAuthError` when it is not one.
    static func form(_ request: Request) async throws -> FormBody {
        do {
            return try await request.decodeForm()
        } catch let problem as Problem {
            throw OAuthError.invalidRequest(problem.detail ?? "the body must be application/x-www-form-urlencoded")
        }
    }
}
