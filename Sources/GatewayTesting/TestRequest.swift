import NIOCore
import NIOHTTP1

/// A request as a test builds it for `PluginHarness`: what the client sent, from where, on which route, and
/// (optionally) the consumer an earlier plugin already authenticated.
public struct TestRequest: Sendable {
    public var method: HTTPMethod
    /// The path, without the query.
    public var path: String
    /// The query string without its `?`.
    public var query: String?
    public var headers: HTTPHeaders
    /// The body as it streams, part by part.
    public var bodyParts: [ByteBuffer]
    public var clientAddress: String
    public var routeName: String
    public var serviceName: String
    /// The username of a consumer of the harness' `consumers`, authenticated before the chain runs (as if by an
    /// authentication plugin with a higher priority), with `credentialIdentifier`.
    public var consumer: String?
    public var credentialIdentifier: String?

    /// A request for `target` (a path with an optional `?query`), with `body` in one part when given.
    public init(
        _ method: HTTPMethod = .GET,
        _ target: String = "/",
        headers: HTTPHeaders = [:],
        body: String? = nil,
        clientAddress: String = "127.0.0.1",
        routeName: String = "test-route",
        serviceName: String = "test-service",
        consumer: String? = nil,
        credentialIdentifier: String? = nil
    ) {
        self.method = method
        if let mark = target.firstIndex(of: "?") {
            self.path = String(target[..<mark])
            self.query = String(target[target.index(after: mark)...])
        } else {
            self.path = target
            self.query = nil
        }
        self.headers = headers
        self.bodyParts = body.map { [ByteBuffer(string: $0)] } ?? []
        self.clientAddress = clientAddress
        self.routeName = routeName
        self.serviceName = serviceName
        self.consumer = consumer
        self.credentialIdentifier = credentialIdentifier
    }
}

/// A response in a test: what the upstream answers, or what the client got.
public struct TestResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: String

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
