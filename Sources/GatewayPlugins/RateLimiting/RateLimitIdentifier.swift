import Gateway

/// Whom a request is counted for, as Kong's `limit_by` picks it, falling back to the client's address when the
/// request has no such thing (no consumer, no header, another path).
struct RateLimitIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// What the value is; part of the identity, so that a consumer named like an address has counters of its own.
    enum Kind: String, Sendable {
        case consumer, subject, credential, ip, service, header, path
    }

    let kind: Kind
    let value: String

    /// The identifier of `request` under `limitBy`: for `consumer`, the consumer, else the subject a token proved
    /// (no consumer entry), else the credential; for `credential`, the credential; for `service`, the service; for
    /// `header`, the header's first value; for `path`, the path when it is `configuration.path` exactly. Any of
    /// them missing: the client's address.
    init(_ request: PluginRequest, _ configuration: RateLimitingConfiguration) {
        switch configuration.limitBy {
        case .consumer:
            if let consumer = request.consumer {
                self.init(.consumer, consumer.username)
                return
            }
            if let subject = request.identity?.userID {
                self.init(.subject, subject)
                return
            }
            if let credential = request.credentialIdentifier {
                self.init(.credential, credential)
                return
            }
        case .credential:
            if let credential = request.credentialIdentifier {
                self.init(.credential, credential)
                return
            }
        case .ip:
            break
        case .service:
            self.init(.service, request.serviceName)
            return
        case .header(let name):
            if let value = request.headers.first(name: name) {
                self.init(.header, value)
                return
            }
        case .path(let path):
            if request.path == path {
                self.init(.path, path)
                return
            }
        }
        self.init(.ip, request.clientAddress)
    }

    init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// `kind:value`, as it appears in Redis keys.
    var description: String { "\(self.kind.rawValue):\(self.value)" }
}
