import NIOCore
import NIOHTTP1

/// A response the gateway makes itself: JSON with Kong's messages, or what a plugin answered.
struct GatewayResponse {
    var status: HTTPResponseStatus
    var message: String
    /// A plugin's headers and body, sent instead of the message.
    var reply: PluginReply?

    init(status: HTTPResponseStatus, message: String) {
        self.status = status
        self.message = message
    }

    init(_ reply: PluginReply) {
        self.status = reply.status
        self.message = ""
        self.reply = reply
    }

    static let noRoute = GatewayResponse(status: .notFound, message: "no Route matched with those values")
    static let badRequest = GatewayResponse(status: .badRequest, message: "Bad request")
    static let headersTooLarge = GatewayResponse(
        status: .requestHeaderFieldsTooLarge,
        message: "Request header or cookie too large"
    )
    static let badGateway = GatewayResponse(
        status: .badGateway,
        message: "An invalid response was received from the upstream server"
    )
    static let noPeer = GatewayResponse(
        status: .serviceUnavailable,
        message: "failure to get a peer from the ring-balancer"
    )
    static let gatewayTimeout = GatewayResponse(status: .gatewayTimeout, message: "The upstream server is timing out")
    /// A request head that did not arrive whole within the client header timeout.
    static let requestTimeout = GatewayResponse(status: .requestTimeout, message: "Request timeout")

    /// The JSON body `{"message":"..."}`, or the plugin's body.
    func body(allocator: ByteBufferAllocator) -> ByteBuffer {
        allocator.buffer(string: self.reply?.body ?? "{\"message\":" + JSONText.quoted(self.message) + "}")
    }

    /// The response head for `body`, closing the connection when `keepAlive` is false.
    func head(version: HTTPVersion, bodyLength: Int, keepAlive: Bool) -> HTTPResponseHead {
        var headers = self.reply?.headers ?? ["content-type": "application/json; charset=utf-8"]
        HeaderRewriting.removeHopByHop(from: &headers)
        headers.remove(name: "content-length")
        headers.add(name: "content-length", value: String(bodyLength))
        headers.add(name: "server", value: GatewayVersion.product + "/" + GatewayVersion.string)
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if version == .http1_0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: self.status, headers: headers)
    }
}
