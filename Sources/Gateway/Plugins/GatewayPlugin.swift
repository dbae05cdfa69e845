import NIOHTTP1

/// A compiled-in plugin, as Kong's: a name, a priority (higher runs first; Kong's numbers for Kong's plugins), a
/// configuration decoded and validated when the configuration is loaded, and the phases it needs. One instance is
/// made per route that runs it, with that route's configuration; phases run on the request's event loop and must
/// not block it.
public protocol GatewayPlugin: Sendable {
    associatedtype Configuration: PluginConfiguration

    /// Kong's name (`correlation-id`), as written in `plugins.json` and `routes/*.json`.
    static var name: String { get }
    /// Higher runs first.
    static var priority: Int { get }

    /// Made once per route that runs the plugin, with that route's configuration.
    init(configuration: Configuration, setup: PluginSetup)

    /// Checks one credential object a consumer lists under this plugin's name, as a configuration is checked.
    static func checkCredential(_ reader: inout PluginConfigReader)

    /// Before the request goes upstream: may edit the request, or answer it.
    func access(_ request: PluginRequest) -> PluginAction
    /// When the upstream's response head arrives: may edit the headers the client gets.
    func response(_ request: PluginRequest, _ response: PluginResponse)
    /// After the response was sent; never delays it.
    func log(_ request: PluginRequest, _ response: PluginResponse)
}

extension GatewayPlugin {
    /// Plugins without credentials accept any object.
    public static func checkCredential(_ reader: inout PluginConfigReader) {}

    public func access(_ request: PluginRequest) -> PluginAction { .proceed }
    public func response(_ request: PluginRequest, _ response: PluginResponse) {}
    public func log(_ request: PluginRequest, _ response: PluginResponse) {}
}

/// What a plugin's access phase decided.
public enum PluginAction: Sendable {
    /// On to the next plugin, then upstream.
    case proceed
    /// Answer the client now; no later plugin's access phase runs and nothing goes upstream.
    case respond(PluginReply)
}

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
