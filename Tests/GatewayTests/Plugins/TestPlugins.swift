import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

@testable import Gateway

/// A plugin for framework tests: adds `X-Tag: <tag>` upstream, answers 403 when the request has `X-Block`, and
/// adds `X-Seen-Tag` to the response.
struct TagPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var tag: String
        var block: Bool

        init(from reader: inout PluginConfigReader) {
            self.tag = reader.string("tag", default: "default")
            self.block = reader.bool("block", default: true)
        }
    }

    static let name = "tag"
    static let priority = 1000
    let configuration: Configuration

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
    }

    func access(_ request: PluginRequest) -> PluginAction {
        if self.configuration.block, request.headers.contains(name: "x-block") {
            return .respond(.message(.forbidden, "blocked by \(self.configuration.tag)"))
        }
        request.headers.add(name: "x-tag", value: self.configuration.tag)
        return .proceed
    }

    func response(_ request: PluginRequest, _ response: PluginResponse) {
        response.headers.add(name: "x-seen-tag", value: self.configuration.tag)
    }
}

/// A second plugin of higher priority, to check the chain's order.
struct FirstPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        init(from reader: inout PluginConfigReader) {}
    }

    static let name = "first"
    static let priority = 5000

    init(configuration: Configuration, setup: PluginSetup) {}

    func access(_ request: PluginRequest) -> PluginAction {
        request.headers.add(name: "x-order", value: Self.name)
        return .proceed
    }
}

/// Decides on another event loop after `delay_ms`: a request with `X-Deny` is answered 401, any other goes on
/// with `X-Waited: yes`.
struct WaitPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var delay: Int

        init(from reader: inout PluginConfigReader) {
            self.delay = reader.integer("delay_ms", in: 0...10_000, default: 20) ?? 20
        }
    }

    static let name = "wait"
    static let priority = 2000
    let configuration: Configuration

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
    }

    func access(_ request: PluginRequest) -> PluginAction {
        let deny = request.headers.contains(name: "x-deny")
        let elsewhere = MultiThreadedEventLoopGroup.singleton.next()
        let decided = elsewhere.scheduleTask(in: .milliseconds(Int64(self.configuration.delay))) { () -> PluginAction in
            deny ? .respond(.message(.unauthorized, "denied later")) : .proceed
        }.futureResult
        // Back on the request's loop, where the request may be touched.
        return .deferred(
            decided.hop(to: request.eventLoop).assumeIsolated().map { action in
                if case .proceed = action { request.headers.add(name: "x-waited", value: "yes") }
                return action
            }.nonisolated()
        )
    }
}

/// Answers 413 once more than `limit` request body bytes arrived.
struct BodyLimitPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var limit: Int

        init(from reader: inout PluginConfigReader) {
            self.limit = reader.integer("limit", in: 0...Int.max, default: 1024) ?? 1024
        }
    }

    static let name = "limit"
    static let priority = 900
    static let readsRequestBody = true
    let configuration: Configuration

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
    }

    func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply? {
        request.bodyBytesReceived > self.configuration.limit ? .message(.payloadTooLarge, "too much") : nil
    }
}

/// Remembers the request path in access, names it in the response, and upper-cases the response body.
struct ShoutPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        init(from reader: inout PluginConfigReader) {}
    }

    enum SeenPath: PluginContextKey {
        typealias Value = String
    }

    static let name = "shout"
    static let priority = 800

    init(configuration: Configuration, setup: PluginSetup) {}

    func access(_ request: PluginRequest) -> PluginAction {
        request.context[SeenPath.self] = request.path
        return .proceed
    }

    func response(_ request: PluginRequest, _ response: PluginResponse) {
        response.headers.add(name: "x-seen-path", value: request.context[SeenPath.self] ?? "none")
        response.collectBody()
    }

    func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer) {
        body = ByteBuffer(string: String(buffer: body).uppercased())
    }
}

/// A resource for framework tests: whether it was closed, and after which others.
final class TestResource: SharedResource {
    let name: String
    private let closings: NIOLockedValueBox<[String]>

    /// A resource that appends its name to `closings` when closed.
    init(name: String, closings: NIOLockedValueBox<[String]> = NIOLockedValueBox([])) {
        self.name = name
        self.closings = closings
    }

    var isClosed: Bool { self.closings.withLockedValue { $0.contains(self.name) } }

    func close() async {
        self.closings.withLockedValue { $0.append(self.name) }
    }
}

/// Takes the shared `TestResource` named by `resource` and keeps what its setup said; `inner` is a nested object
/// (`{"size": 1}`).
struct SharingPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var resource: String
        var size: Int?

        init(from reader: inout PluginConfigReader) {
            self.resource = reader.string("resource", default: "one")
            self.size = reader.object("inner") { inner in inner.integer("size", in: 1...10, default: 1) ?? 1 }
        }
    }

    static let name = "sharing"
    static let priority = 100
    let configuration: Configuration
    let resource: TestResource
    let setup: PluginSetup

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
        self.resource = setup.resources.shared(configuration.resource) { TestResource(name: configuration.resource) }
        self.setup = setup
    }
}

let testPlugins = PluginRegistry([
    TagPlugin.self, FirstPlugin.self, WaitPlugin.self, BodyLimitPlugin.self, ShoutPlugin.self, SharingPlugin.self,
])
