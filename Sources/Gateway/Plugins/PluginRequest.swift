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
        self.credentialIdentifier = identifier
        self.set("x-consumer-id", consumer?.username)
        self.set("x-consumer-custom-id", consumer?.customID)
        self.set("x-consumer-username", consumer?.username)
        self.set("x-consumer-groups", consumer.flatMap { $0.groups.isEmpty ? nil : $0.groups.joined(separator: ", ") })
        self.set("x-credential-identifier", identifier)
        self.set("x-anonymous-consumer", identifier == nil ? "true" : nil)
    }

    private func set(_ name: String, _ value: String?) {
        if let value {
            self.headers.replaceOrAdd(name: name, value: value)
        } else {
            self.headers.remove(name: name)
        }
    }
}

@available(*, unavailable)
extension PluginRequest: Sendable {}
