import NIOHTTP1

/// A response a plugin makes itself.
public struct PluginReply: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: String

    /// A response with `body` as written; `content-length` is set by the gateway.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Kong's JSON answer: `{"message":"..."}`.
    public static func message(_ status: HTTPResponseStatus, _ message: String) -> PluginReply {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        return PluginReply(status: status, headers: headers, body: "{\"message\":" + JSONText.quoted(message) + "}")
    }
}
