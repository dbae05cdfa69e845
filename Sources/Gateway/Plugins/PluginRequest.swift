import NIOCore
import NIOHTTP1

/// The request as plugins see it: one per request, on the request's event loop. Plugins edit `headers` (what goes
/// upstream), set `consumer` when they authenticate the caller, and keep what they need between phases in `context`.
public final class PluginRequest {
    public let method: HTTPMethod
    /// The normalised path, without the query.
    public let path: String
    /// The query string without its `?`, byte for byte, or nil; what goes upstream, so plugins may edit it.
    public var query: Substring?
    /// The client's address (the socket peer, or what a trusted peer forwarded).
    public let clientAddress: String
    public let routeName: String
    public let serviceName: String
    /// The headers sent upstream: the client's, caller-identity headers already removed.
    public var headers: HTTPHeaders
    /// The consumer an authentication plugin mapped the caller to (or the anonymous one).
    public private(set) var consumer: Consumer?
    /// The identifier of the credential that authenticated the caller; nil for no one or an anonymous consumer.
    public private(set) var credentialIdentifier: String?
    /// Who a token proved the caller to be without a consumer entry (a token verified against a JSON Web Key Set).
    public private(set) var identity: AuthenticatedIdentity?
    /// Whether an authentication set identity headers already. Until then there are none to replace: the gateway
    /// removed the client's before any plugin ran.
    private var identityHeadersSet = false
    /// When the gateway received the request head.
    public let receivedAt: NIODeadline
    /// The event loop the request's phases run on: futures a plugin defers to may complete on any loop, the
    /// gateway comes back here.
    public let eventLoop: any EventLoop
    /// Request body bytes received so far, counted for chains with a plugin that reads bodies (`requestBody` sees
    /// the part it is given counted).
    public internal(set) var bodyBytesReceived = 0
    /// Values plugins keep for this request, between their phases or for each other.
    public var context = PluginContext()

    /// Made by the proxy for each request a chain runs on, and by tests.
    public init(
        method: HTTPMethod,
        path: String,
        query: Substring? = nil,
        clientAddress: String,
        routeName: String,
        serviceName: String,
        headers: HTTPHeaders,
        receivedAt: NIODeadline = .now(),
        eventLoop: any EventLoop
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.clientAddress = clientAddress
        self.routeName = routeName
        self.serviceName = serviceName
        self.headers = headers
        self.receivedAt = receivedAt
        self.eventLoop = eventLoop
    }
}

extension PluginRequest {
    /// Records who the caller is and tells the upstream, as Kong's authentication plugins do: `X-Consumer-ID`
    /// (the username: consumers here have no separate id), `X-Consumer-Custom-ID`, `X-Consumer-Username`,
    /// `X-Consumer-Groups`, `X-Credential-Identifier`, and `X-Anonymous-Consumer: true` when there is no credential
    /// (the `anonymous` fallback). Headers with nothing to say are removed.
    public func authenticate(_ consumer: Consumer?, credential identifier: String?) {
        self.consumer = consumer
        self.identity = nil
        self.credentialIdentifier = identifier
        defer { self.identityHeadersSet = true }
        self.set("x-consumer-id", consumer?.username)
        self.set("x-consumer-custom-id", consumer?.customID)
        self.set("x-consumer-username", consumer?.username)
        self.set("x-consumer-groups", consumer.flatMap { $0.groups.isEmpty ? nil : $0.groups.joined(separator: ", ") })
        self.set("x-credential-identifier", identifier)
        self.set("x-anonymous-consumer", identifier == nil ? "true" : nil)
    }

    /// Records a caller that a token proved without a consumer entry, as Kong's OpenID Connect plugin tells the
    /// upstream: `X-Authenticated-Userid`, `X-Authenticated-Scope`, `X-Consumer-Groups` (which `acl` also reads) and
    /// `X-Credential-Identifier`; consumer headers are removed.
    public func authenticate(_ identity: AuthenticatedIdentity) {
        self.consumer = nil
        self.identity = identity
        self.credentialIdentifier = identity.credential
        defer { self.identityHeadersSet = true }
        self.set("x-consumer-id", nil)
        self.set("x-consumer-custom-id", nil)
        self.set("x-consumer-username", nil)
        self.set("x-anonymous-consumer", nil)
        self.set("x-authenticated-userid", identity.userID)
        self.set("x-authenticated-scope", identity.scope)
        self.set("x-consumer-groups", identity.groups.isEmpty ? nil : identity.groups.joined(separator: ", "))
        self.set("x-credential-identifier", identity.credential)
    }

    /// The groups of the authenticated caller: the consumer's, or those the token granted; nil when no one is
    /// authenticated.
    public var authenticatedGroups: [String]? {
        self.consumer?.groups ?? self.identity?.groups
    }

    private func set(_ name: String, _ value: String?) {
        guard self.identityHeadersSet else {
            if let value { self.headers.add(name: name, value: value) }
            return
        }
        if let value {
            self.headers.replaceOrAdd(name: name, value: value)
        } else {
            self.headers.remove(name: name)
        }
    }

    /// Removes the caller-identity headers a client sent (`X-Consumer-*`, `X-Credential-*`, `X-Authenticated-*`),
    /// as the gateway does before any plugin runs; for harnesses that make requests themselves.
    public static func removeCallerIdentity(from headers: inout HTTPHeaders) {
        HeaderRewriting.removeCallerIdentity(from: &headers)
    }
}

@available(*, unavailable)
extension PluginRequest: Sendable {}

/// A caller proved by a token alone: its subject, scopes and groups.
public struct AuthenticatedIdentity: Sendable, Hashable {
    /// The subject (`sub`).
    public var userID: String?
    /// Space-separated scopes.
    public var scope: String?
    public var groups: [String]
    /// What identifies the credential: the key id the token was verified with, or the token's issuer.
    public var credential: String

    public init(userID: String?, scope: String?, groups: [String], credential: String) {
        self.userID = userID
        self.scope = scope
        self.groups = groups
        self.credential = credential
    }
}
