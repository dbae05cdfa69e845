import Foundation
import Hummingbird
import ServiceKit

/// `GET /oauth/authorize` shows the login page for an authorization request (response type `code`, PKCE S256
/// required); `POST /oauth/authorize` checks the email and password and redirects to the client's redirect URI
/// with `code` and `state`. A request naming an unknown client or a redirect URI not registered for it is answered
/// here with an error page and never redirected (RFC 6749 section 4.1.2.1); other errors go back to the client.
struct AuthorizeEndpoint: Sendable {
    let store: any UserStore
    let login: PasswordLogin
    let sessions: any SessionStore
    let codeLifetime: Duration

    /// A checked authorization request.
    struct Authorization {
        let client: OAuthClientRecord
        let redirectURI: String
        let scope: String
        let state: String?
        let codeChallenge: String

        /// The parameters the login form carries back.
        var parameters: [(String, String)] {
            var parameters = [
                ("response_type", "code"), ("client_id", self.client.id), ("redirect_uri", self.redirectURI),
                ("scope", self.scope), ("code_challenge", self.codeChallenge), ("code_challenge_method", "S256"),
            ]
            if let state = self.state { parameters.append(("state", state)) }
            return parameters
        }
    }

    /// What went wrong with a request: shown here, or sent back to the client.
    enum Refusal: Error {
        case page(String)
        case redirect(Response)
    }

    func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        do {
            let authorization = try await self.check(values)
            let html = LoginPage.form(
                parameters: authorization.parameters, clientName: authorization.client.name, email: "", message: nil)
            return LoginPage.response(html, status: .ok)
        } catch let refusal as Refusal {
            return Self.respond(refusal)
        }
    }

    func submit(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let form: FormBody
        do {
            form = try await request.decodeForm()
        } catch {
            return LoginPage.response(LoginPage.error("the form could not be read"), status: .badRequest)
        }
        do {
            let authorization = try await self.check(form.values)
            let email = form.values["email"] ?? ""
            let user: UserRecord
            do {
                user = try await self.login.authenticate(
                    email: email, password: form.values["password"] ?? "",
                    address: PasswordLogin.clientAddress(request, context: context), logger: context.logger)
            } catch let failure as PasswordLogin.Failure {
                let message =
                    failure == .invalidCredentials
                    ? "Wrong email or password." : "Too many failed attempts. Try again later."
                let html = LoginPage.form(
                    parameters: authorization.parameters, clientName: authorization.client.name, email: email,
                    message: message)
                return LoginPage.response(
                    html, status: failure == .invalidCredentials ? .unauthorized : .tooManyRequests)
            }
            let code = RandomToken.make()
            try await self.sessions.saveAuthorizationCode(
                digest: RandomToken.digest(code),
                grant: AuthorizationGrant(
                    userID: user.id, clientID: authorization.client.id, redirectURI: authorization.redirectURI,
                    scope: authorization.scope, codeChallenge: authorization.codeChallenge),
                lifetime: self.codeLifetime)
            var parameters = [("code", code)]
            if let state = authorization.state { parameters.append(("state", state)) }
            return Self.redirect(to: authorization.redirectURI, parameters)
        } catch let refusal as Refusal {
            return Self.respond(refusal)
        }
    }

    /// Checks an authorization request's parameters.
    func check(_ values: [String: String]) async throws -> Authorization {
        func value(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let clientID = value("client_id"), let client = try await self.store.client(id: clientID) else {
            throw Refusal.page("unknown client")
        }
        let redirectURI: String
        if let asked = value("redirect_uri") {
            guard client.redirectURIs.contains(asked) else {
                throw Refusal.page("the redirect_uri is not registered for this client")
            }
            redirectURI = asked
        } else {
            guard client.redirectURIs.count == 1 else { throw Refusal.page("redirect_uri is required") }
            redirectURI = client.redirectURIs[0]
        }
        let state = value("state")
        func back(_ error: String, _ description: String) -> Refusal {
            var parameters = [("error", error), ("error_description", description)]
            if let state { parameters.append(("state", state)) }
            return .redirect(Self.redirect(to: redirectURI, parameters))
        }
        guard value("response_type") == "code" else {
            throw back("unsupported_response_type", "only response_type=code is supported")
        }
        guard client.allows(grant: "authorization_code") else {
            throw back("unauthorized_client", "this client may not use the authorization code grant")
        }
        guard let challenge = value("code_challenge"), PKCE.isWellFormed(challenge) else {
            throw back("invalid_request", "a PKCE code_challenge is required")
        }
        guard value("code_challenge_method") == "S256" else {
            throw back("invalid_request", "code_challenge_method must be S256")
        }
        let scope: String
        do {
            scope = try Scopes.grant(value("scope"), allowed: client.scopes)
        } catch let error as OAuthError {
            throw back(error.code, error.description)
        }
        return Authorization(
            client: client, redirectURI: redirectURI, scope: scope, state: state, codeChallenge: challenge)
    }

    static func redirect(to uri: String, _ parameters: [(String, String)]) -> Response {
        let separator = uri.contains("?") ? "&" : "?"
        return Response(
            status: .found,
            headers: [.location: uri + separator + FormBody.encode(parameters), .cacheControl: "no-store"])
    }

    static func respond(_ refusal: Refusal) -> Response {
        switch refusal {
        case .page(let message): return LoginPage.response(LoginPage.error(message), status: .badRequest)
        case .redirect(let response): return response
        }
    }
}
