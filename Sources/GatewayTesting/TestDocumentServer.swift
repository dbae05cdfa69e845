import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server answering every request with a JSON document the test sets (a JSON Web Key Set, say),
/// counting the requests it served: for plugins that fetch something over HTTP.
public final class TestDocumentServer: Sendable {
    private let channel: any Channel
    private let state: NIOLockedValueBox<(document: String, requests: Int)>

    /// The document's URL.
    public var url: String { "http://127.0.0.1:\(self.channel.localAddress!.port!)/.well-known/jwks.json" }
    /// How many requests were answered.
    public var requests: Int { self.state.withLockedValue { $0.requests } }

    /// Replaces the document served.
    public func serve(_ document: String) {
        self.state.withLockedValue { $0.document = document }
    }

    private init(channel: any Channel, state: NIOLockedValueBox<(document: String, requests: Int)>) {
        self.channel = channel
        self.state = state
    }

    /// Starts a server on a free loopback port.
    public static func start(serving document: String) async throws -> TestDocumentServer {
        let state = NIOLockedValueBox((document: document, requests: 0))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestDocumentServer(channel: channel, state: state)
    }

    /// Stops the server.
    public func stop() async {
        try? await self.channel.close()
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: NIOLockedValueBox<(document: String, requests: Int)>

        init(state: NIOLockedValueBox<(document: String, requests: Int)>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = Self.unwrapInboundIn(data) else { return }
            let document = self.state.withLockedValue { state in
                state.requests += 1
                return state.document
            }
            let body = context.channel.allocator.buffer(string: document)
            let headers: HTTPHeaders = ["content-type": "application/json", "content-length": String(body.readableBytes)]
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
