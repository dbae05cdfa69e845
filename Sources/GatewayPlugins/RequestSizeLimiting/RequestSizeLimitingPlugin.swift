import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `request-size-limiting`: refuses a request whose `Content-Length` is over the limit (413, or 417 when the
/// client waits for `100 Continue`), and, with `require_content_length`, one with neither a valid `Content-Length`
/// nor a chunked body (411). A chunked body is counted as it streams and cut off once it passes the limit.
public struct RequestSizeLimitingPlugin: GatewayPlugin {
    public static let name = "request-size-limiting"
    public static let priority = 951
    public static let readsRequestBody = true

    private let limit: Int
    private let requireContentLength: Bool

    public init(configuration: RequestSizeLimitingConfiguration, setup: PluginSetup) {
        self.limit = configuration.allowedBytes
        self.requireContentLength = configuration.requireContentLength
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        if let length = request.headers.first(name: "content-length").flatMap({ Int($0) }) {
            return length > self.limit ? .respond(Self.refusal(request)) : .proceed
        }
        if self.requireContentLength, !Self.isChunked(request) {
            return .respond(.message(.lengthRequired, "A valid Content-Length header is required"))
        }
        return .proceed
    }

    public func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply? {
        request.bodyBytesReceived > self.limit ? Self.refusal(request) : nil
    }

    /// Kong's answer to a body over the limit: 417 when the client sent `Expect: 100-continue`, else 413.
    private static func refusal(_ request: PluginRequest) -> PluginReply {
        var expect = request.headers.first(name: "expect")?[...] ?? ""
        while expect.first?.isWhitespace == true { expect.removeFirst() }
        while expect.last?.isWhitespace == true { expect.removeLast() }
        let status: HTTPResponseStatus = expect.lowercased() == "100-continue" ? .expectationFailed : .payloadTooLarge
        return .message(status, "Request size limit exceeded")
    }

    private static func isChunked(_ request: PluginRequest) -> Bool {
        request.headers[canonicalForm: "transfer-encoding"].last?.lowercased() == "chunked"
    }
}
