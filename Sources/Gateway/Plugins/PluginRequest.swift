import NIOCore
import NIOHTTP1

/// The request as plugins see it: one per request, on the request's event loop. Plugins edit `headers` (what goes
/// upstream) and set `consumer` when they authenticate the caller.
public final class PluginRequest {
    public let method: HTTPMethod
    /// The normalised path, without the query.
    public let path: String
    /// The query string without its `?`, byte for byte, or nil.
    public let query: Substring?
    /// The client's address (the socket peer, or what a trusted peer forwarded).
    public let clientAddress: String
    public let routeName: String
    public let serviceName: String
    /// The headers sent upstream: the client's, caller-identity headers already removed.
    public var headers: HTTPHeaders
    /// The consumer an authentication plugin mapped the caller to.
    public var consumer: Consumer?
    /// When the gateway received the request head.
    public let receivedAt: NIODeadline

    /// Made by the proxy for each request a chain runs on, and by tests.
    public init(
        method: HTTPMethod,
        path: String,
        query: Substring? = nil,
        clientAddress: String,
        routeName: String,
        serviceName: String,
        headers: HTTPHeaders,
        receivedAt: NIODeadline = .now()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.clientAddress = clientAddress
        self.routeName = routeName
        self.serviceName = serviceName
        self.headers = headers
        self.receivedAt = receivedAt
    }
}

/// The response as plugins see it: the upstream's status and the headers the client gets, which the response
/// phase may edit.
public final class PluginResponse {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders

    /// The upstream's status and headers, as they arrived.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders) {
        self.status = status
        self.headers = headers
    }
}

@available(*, unavailable)
extension PluginRequest: Sendable {}

@available(*, unavailable)
extension PluginResponse: Sendable {}
