import NIOCore

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

    /// Whether the gateway calls `requestBody` with each part of the request body as it streams; false by default,
    /// so chains of plugins that do not read bodies cost nothing per body part.
    static var readsRequestBody: Bool { get }

    /// Before the request goes upstream: may edit the request, answer it, or decide later without blocking the
    /// event loop (`.deferred`).
    func access(_ request: PluginRequest) -> PluginAction
    /// Each part of the request body as it arrives, with `request.bodyBytesReceived` already counting it; a reply
    /// answers the client instead (the upstream connection, if any, is closed). Only for `readsRequestBody` plugins.
    func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply?
    /// When the response head is ready (the upstream's, or a reply a plugin or the gateway made): may edit the
    /// status and the headers the client gets, and ask for the whole body (`response.collectBody()`). Runs for every
    /// plugin of the chain, also when an earlier plugin answered in its access phase.
    func response(_ request: PluginRequest, _ response: PluginResponse)
    /// The whole response body, when a response phase asked for it; may replace it. `content-length` is set anew.
    func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer)
    /// After the response was sent; never delays it.
    func log(_ request: PluginRequest, _ response: PluginResponse)
}

extension GatewayPlugin {
    /// Plugins without credentials accept any object.
    public static func checkCredential(_ reader: inout PluginConfigReader) {}

    public static var readsRequestBody: Bool { false }

    public func access(_ request: PluginRequest) -> PluginAction { .proceed }
    public func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply? { nil }
    public func response(_ request: PluginRequest, _ response: PluginResponse) {}
    public func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer) {}
    public func log(_ request: PluginRequest, _ response: PluginResponse) {}
}

/// What a plugin's access phase decided.
public enum PluginAction: Sendable {
    /// On to the next plugin, then upstream.
    case proceed
    /// Answer the client now; no later plugin's access phase runs and nothing goes upstream.
    case respond(PluginReply)
    /// Decide when the future completes (on any event loop): the chain waits without blocking its loop, then goes
    /// on as the action the future carries says. A failed future answers 500.
    case deferred(EventLoopFuture<PluginAction>)
}
