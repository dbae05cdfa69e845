import Foundation
import Hummingbird
import ServiceKit

/// Finds and authenticates the OAuth client of a token, revocation or introspection request (RFC 6749 section
/// 2.3): HTTP Basic (`client_secret_basic`, id and secret form-encoded first), or `client_id` and `client_secret`
/// in the body (`client_secret_post`), or `client_id` alone for a public client. Never two methods at once.
struct ClientAuthenticator: Sendable {
    let store: any UserStore

    /// The authenticated client.
    ///
    /// - Throws: `OAuthError` `invalid_request` for two methods at once, `invalid_client` (401) for an unknown
    ///   client, a wrong or missing secret, or a secret sent by a public client.
    func authenticate(_ request: Request, form: FormBody) async throws -> OAuthClientRecord {
        let basic = try Self.basicCredentials(request.headers[.authorization])
        if basic != nil, form["client_secret"] != nil {
            throw OAuthError.invalidRequest("use one client authentication method, not two")
        }
        if let basic, let formID = form["client_id"], formID != basic.id {
            throw OAuthError.invalidRequest("client_id differs from the authenticated client")
        }
        let usedBasic = basic != nil
        guard let id = basic?.id ?? form["client_id"] else {
            throw OAuthError.invalidClient("client authentication is required", usedBasic: false)
        }
        let secret = basic?.secret ?? form["client_secret"]
        guard let client = try await self.store.client(id: id) else {
            throw OAuthError.invalidClient("unknown client", usedBasic: usedBasic)
        }
        switch (client.secretHash, secret) {
        case (nil, nil):
            return client
        case (nil, .some):
            throw OAuthError.invalidClient("a public client has no secret", usedBasic: usedBasic)
        case (.some, nil):
            throw OAuthError.invalidClient("client authentication is required", usedBasic: usedBasic)
        case (.some(let hash), .some(let secret)):
            guard RandomToken.constantTimeEquals(hash, RandomToken.digest(secret)) else {
                throw OAuthError.invalidClient("client authentication failed", usedBasic: usedBasic)
            }
            return client
        }
    }

    /// The id and secret of a `Basic` authorization; `nil` without one.
    static func basicCredentials(_ header: String?) throws -> (id: String, secret: String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else {
            throw OAuthError.invalidClient("malformed Basic credentials", usedBasic: true)
        }
        return (FormBody.decode(text[..<colon]), FormBody.decode(text[text.index(after: colon)...]))
    }
}
