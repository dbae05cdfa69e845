import NIOHTTP1

/// The response as plugins see it: the status and the headers the client gets, which the response phase may edit.
/// It is the upstream's response, or a reply a plugin or the gateway made.
public final class PluginResponse {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    /// Whether a response phase asked for the whole body (`collectBody()`).
    public private(set) var collectsBody = false
    /// Whether the gateway or a plugin made this response rather than the upstream.
    public let isGatewayMade: Bool
    /// What the exchange came to: set by the gateway just before the log phase (Kong's log serializer).
    public var summary: ExchangeSummary?

    /// A response with `status` and `headers`, as they arrived or were made.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, isGatewayMade: Bool = false) {
        self.status = status
        self.headers = headers
        self.isGatewayMade = isGatewayMade
    }

    /// Asks for the whole body in the `responseBody` phase: the gateway holds the response (up to
    /// `PluginResponse.collectLimit` bytes; a larger body goes to the client unchanged) and sends it with its new
    /// length. Responses that have no body (to `HEAD`, 1xx, 204, 304) are never collected.
    public func collectBody() {
        self.collectsBody = true
    }

    /// The largest response body the gateway holds for `responseBody`.
    public static let collectLimit = 8 * 1024 * 1024
}

@available(*, unavailable)
extension PluginResponse: Sendable {}

/// An exchange's latencies and sizes, as the log phase sees them.
public struct ExchangeSummary: Sendable, Hashable {
    /// Milliseconds from the request head's arrival to the response's end.
    public var requestLatency: Int64
    /// Milliseconds from sending the request upstream to the upstream's response head; nil when the gateway or a
    /// plugin answered.
    public var upstreamLatency: Int64?
    /// Milliseconds the gateway itself took before the request went upstream (the whole request when it answered).
    public var gatewayLatency: Int64
    public var requestBodyBytes: Int
    public var responseBodyBytes: Int

    public init(requestLatency: Int64, upstreamLatency: Int64?, gatewayLatency: Int64, requestBodyBytes: Int, responseBodyBytes: Int) {
        self.requestLatency = requestLatency
        self.upstreamLatency = upstreamLatency
        self.gatewayLatency = gatewayLatency
        self.requestBodyBytes = requestBodyBytes
        self.responseBodyBytes = responseBodyBytes
    }
}
