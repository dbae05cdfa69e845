import NIOCore
import NIOHTTP1

/// One request on its way through the proxy: what was routed, what must be (re)sent upstream, and how far the
/// exchange got. Lives on the client connection's event loop.
final class ProxyExchange {
    /// Request bodies up to this size are kept so that an idempotent request can be sent again to another
    /// target after a failure; a larger body makes the request unrepeatable once sent.
    static let replayLimit = 64 * 1024

    let method: HTTPMethod
    let clientURI: String
    let clientVersion: HTTPVersion
    /// Whether the connection is kept after this exchange: the client wants it, and it is not an upgrade request
    /// (after one the request decoder reads no more, so a declined upgrade closes the connection).
    let keepAlive: Bool
    let route: Route
    let service: Service
    let generation: Int
    /// The client's request head, caller-identity headers removed; what the upstream head is made from (with the
    /// headers the plugins edited, when a chain runs: they move to the `pluginRequest`).
    var request: HTTPRequestHead
    /// The head sent upstream, without `Host` (set per attempt); made once the access phases let the request through.
    var upstreamHead: HTTPRequestHead?
    /// Who sent the request, as the upstream is told.
    let client: ClientSide
    /// The request path as the client wrote it, and the path it goes upstream as (without the query).
    let originalPath: Substring
    let forwardedPath: String
    /// The normalised path the route matched.
    let path: String
    let clientHost: String?
    let isUpgrade: Bool
    /// Whether the request body comes in chunks (`Transfer-Encoding`), so its framing is checked as it arrives.
    let isChunked: Bool
    /// Whether a body follows the head (chunked, or a `Content-Length` other than 0).
    let announcesBody: Bool
    let receivedAt: NIODeadline

    /// The route's plugins, and what they see of this request and its response (nil when the chain is empty).
    var chain = PluginChain.empty
    var pluginRequest: PluginRequest?
    var pluginResponse: PluginResponse?
    /// The client's response head held while its body is collected for the plugins' response body phases.
    var heldResponseHead: HTTPResponseHead?
    var collectedBody: ByteBuffer?

    /// Response body bytes sent to the client.
    var responseBodyBytes = 0
    /// Request body parts (and the end) not yet sent, or kept for a retry while `isReplayable`.
    var bodyParts: [HTTPClientRequestPart] = []
    var bodyBytes = 0
    /// Whether `bodyParts` still holds every body part received, so the request can be sent again.
    var isReplayable = true
    var requestEnded = false

    var attempts = 0
    /// The service's balancer on this loop, the target of the current attempt, and the targets tried so far.
    var balancer: LoopBalancer?
    var pick: LoopBalancer.Pick?
    var triedTargets = TriedTargets()
    /// The `consistent-hashing` key, once made (nil inside: the request has none).
    var hashKey: String??
    /// A `Set-Cookie` value for the response, when hashing on a cookie the request did not have.
    var stickyCookie: String?
    var usedFreshRetry = false
    var connection: UpstreamConnection?
    /// Whether the current attempt's connection was handed the request head.
    var sentOnConnection = false
    var responseStarted = false
    var upstreamKeepAlive = true
    /// Decided with the response head: the client connection closes after this response.
    var closesClient = false
    var status: HTTPResponseStatus?
    /// The upstream's `101 Switching Protocols` to an upgrade request, held until its end has been read.
    var switchingResponse: HTTPResponseHead?

    var upstreamSentAt: NIODeadline?
    var upstreamAnsweredAt: NIODeadline?
    var lastUpstreamRead: NIODeadline = .now()
    /// Whether the loop's `ReadTimeoutWatch` is watching this exchange's `read_timeout`.
    var readTimeoutArmed = false
    /// Set while the upstream connection cannot take more of the request.
    var writeTimeoutCheck: Scheduled<Void>?

    init(
        request: HTTPRequestHead,
        route: Route,
        service: Service,
        generation: Int,
        client: ClientSide,
        originalPath: Substring,
        forwardedPath: String,
        path: String,
        isUpgrade: Bool,
        receivedAt: NIODeadline
    ) {
        self.method = request.method
        self.clientURI = request.uri
        self.clientVersion = request.version
        self.keepAlive = request.isKeepAlive && !isUpgrade
        self.clientHost = request.headers.first(name: "host")
        self.route = route
        self.service = service
        self.generation = generation
        self.request = request
        self.client = client
        self.originalPath = originalPath
        self.forwardedPath = forwardedPath
        self.path = path
        self.isUpgrade = isUpgrade
        self.isChunked = request.headers.contains(name: "transfer-encoding")
        self.announcesBody = request.announcesBody
        self.receivedAt = receivedAt
    }

    /// How long the upstream took to answer the current attempt's request, once it answered.
    var upstreamLatency: TimeAmount? {
        guard let sent = self.upstreamSentAt, let answered = self.upstreamAnsweredAt else { return nil }
        return answered - sent
    }

    /// Whether the method may be sent twice (RFC 9110 9.2.2).
    var isIdempotent: Bool {
        switch self.method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS, .TRACE: return true
        default: return false
        }
    }

    /// Records a request body part or the end: kept until connected, and afterwards for a retry while the
    /// body is small.
    func append(_ part: HTTPClientRequestPart) {
        if case .body(.byteBuffer(let buffer)) = part { self.bodyBytes += buffer.readableBytes }
        if case .end = part { self.requestEnded = true }
        if self.connection == nil || self.isReplayable {
            self.bodyParts.append(part)
        }
        self.trimReplayIfConnected()
    }

    /// Once connected, a body over the replay limit is no longer kept.
    func trimReplayIfConnected() {
        if self.connection != nil, self.isReplayable, self.bodyBytes > Self.replayLimit {
            self.isReplayable = false
            self.bodyParts = []
        }
    }

    /// Cancels the write timeout check.
    func cancelWriteTimeoutCheck() {
        self.writeTimeoutCheck?.cancel()
        self.writeTimeoutCheck = nil
    }

    /// The latencies and sizes the log phase reports, the response having ended at `finished`.
    func summary(finishedAt finished: NIODeadline) -> ExchangeSummary {
        let request = Self.milliseconds(from: self.receivedAt, to: finished)
        var upstream: Int64?
        var gateway = request
        if let sent = self.upstreamSentAt, let answered = self.upstreamAnsweredAt {
            upstream = Self.milliseconds(from: sent, to: answered)
            gateway = Self.milliseconds(from: self.receivedAt, to: sent)
        }
        return ExchangeSummary(
            requestLatency: request,
            upstreamLatency: upstream,
            gatewayLatency: gateway,
            requestBodyBytes: self.bodyBytes,
            responseBodyBytes: self.responseBodyBytes
        )
    }

    /// Milliseconds from `start` to `end`.
    static func milliseconds(from start: NIODeadline, to end: NIODeadline) -> Int64 {
        (end - start).nanoseconds / 1_000_000
    }
}

@available(*, unavailable)
extension ProxyExchange: Sendable {}

extension HTTPRequestHead {
    /// Whether a body follows the request head (RFC 9112 6.3): chunked, or a `Content-Length` other than 0. Without
    /// one, a response made at the head leaves the connection reusable: the request's end is all that is left.
    var announcesBody: Bool {
        self.headers.contains(name: "transfer-encoding")
            || self.headers[canonicalForm: "content-length"].contains { $0 != "0" }
    }
}
