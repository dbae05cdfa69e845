import Gateway
import NIOHTTP1

/// Kong's `key-auth`: the caller shows an API key in a header or the query; a consumer's `key-auth` credential
/// with that key authenticates it. Answers 401 with Kong's messages otherwise, unless `anonymous` names a consumer
/// to fall back to.
public struct KeyAuthPlugin: GatewayPlugin {
    public static let name = "key-auth"
    public static let priority = 1250

    private let configuration: KeyAuthConfiguration
    /// Key to the consumer and credential identifier, built once.
    private let credentials: [String: ConsumerDirectory.Credential]
    private let anonymous: Consumer?

    public init(configuration: KeyAuthConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        var credentials: [String: ConsumerDirectory.Credential] = [:]
        for credential in setup.consumers.credentials(of: Self.name) {
            if case .string(let key)? = credential.credential["key"], credentials[key] == nil {
                credentials[key] = credential
            }
        }
        self.credentials = credentials
        self.anonymous = configuration.anonymous.flatMap { setup.consumers.consumer(named: $0) }
    }

    /// A credential is `{"key": "...", "id": "..."}`; `id` (optional) is what `X-Credential-Identifier` says.
    public static func checkCredential(_ reader: inout PluginConfigReader) {
        if reader.string("key", default: "").isEmpty { reader.fail("key", "is required: a non-empty string") }
        _ = reader.string("id", default: "")
        reader.finish()
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        if !self.configuration.runOnPreflight, request.method == .OPTIONS { return .proceed }
        if self.configuration.anonymous != nil, request.credentialIdentifier != nil { return .proceed }
        switch self.authenticate(request) {
        case .success(let credential):
            request.authenticate(credential.consumer, credential: credential.identifier)
            return .proceed
        case .failure(let failure):
            guard self.configuration.anonymous != nil else { return .respond(failure.reply) }
            guard let anonymous = self.anonymous else {
                // The anonymous consumer named in the configuration does not exist.
                return .respond(.message(.internalServerError, "An unexpected error occurred"))
            }
            request.authenticate(anonymous, credential: nil)
            return .proceed
        }
    }

    private func authenticate(_ request: PluginRequest) -> Result<ConsumerDirectory.Credential, KeyAuthFailure> {
        var key: String?
        for name in self.configuration.keyNames {
            var values: [String] = []
            if self.configuration.keyInHeader { values = request.headers[name] }
            if values.isEmpty, self.configuration.keyInQuery, let query = request.query {
                values = QueryString.values(of: name, in: query)
            }
            if values.count > 1 { return .failure(KeyAuthFailure(.message(.unauthorized, "Duplicate API key found"))) }
            guard let value = values.first else { continue }
            key = value
            if self.configuration.hideCredentials {
                request.headers.remove(name: name)
                request.query = request.query.flatMap { QueryString.removing(name, from: $0) }
            }
            break
        }
        guard let key, !key.isEmpty else {
            var reply = PluginReply.message(.unauthorized, "No API key found in request")
            reply.headers.add(name: "www-authenticate", value: "Key realm=\"kong\"")
            return .failure(KeyAuthFailure(reply))
        }
        guard let credential = self.credentials[key] else {
            return .failure(KeyAuthFailure(.message(.unauthorized, "Invalid authentication credentials")))
        }
        return .success(credential)
    }
}

/// Why `key-auth` refused a request: the answer Kong gives.
struct KeyAuthFailure: Error {
    var reply: PluginReply

    init(_ reply: PluginReply) {
        self.reply = reply
    }
}
