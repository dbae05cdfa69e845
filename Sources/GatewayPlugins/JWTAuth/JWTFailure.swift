import Gateway
import JWT
import NIOHTTP1

/// Kong 3.x's `jwt` answers when a request is not authenticated: 401, a JSON body, and `WWW-Authenticate`.
struct JWTFailure: Error {
    let reply: PluginReply

    /// `{"message": "<message>"}`; `invalidToken` marks the challenge with `error="invalid_token"`.
    init(_ message: String, invalidToken: Bool = true, realm: String?) {
        var reply = PluginReply.message(.unauthorized, message)
        reply.headers.add(name: "www-authenticate", value: Self.challenge(realm: realm, invalidToken: invalidToken))
        self.reply = reply
    }

    /// Kong's claim-keyed body, `{"exp":"token expired","nbf":"token not valid yet"}`, in the order the claims failed.
    init(claims failures: [JWTError], realm: String?) {
        var body = "{"
        var named: [String] = []
        for failure in failures {
            guard let claim = failure.claim, let message = failure.claimMessage, !named.contains(claim) else { continue }
            if !named.isEmpty { body += "," }
            body += JSONText.quoted(claim) + ":" + JSONText.quoted(message)
            named.append(claim)
        }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "www-authenticate", value: Self.challenge(realm: realm, invalidToken: true))
        self.reply = PluginReply(status: .unauthorized, headers: headers, body: body + "}")
    }

    private static func challenge(realm: String?, invalidToken: Bool) -> String {
        let base = realm.map { "Bearer realm=\"\($0)\"" } ?? "Bearer"
        guard invalidToken else { return base }
        return realm == nil ? "Bearer error=\"invalid_token\"" : base + ", error=\"invalid_token\""
    }
}
