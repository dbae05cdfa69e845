import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

@testable import Gateway

/// A loopback upstream that answers every request with its name as the body, and a status the test sets: `/health`
/// answers `healthStatus`, anything else `status`. Counts the requests it answered, probes apart.
final class NamedUpstream: Sendable {
    let name: String
    let host: String
    private let server: LoopbackServer
    private let state: NIOLockedValueBox<(status: Int, healthStatus: Int, requests: Int, probes: Int)>

    var port: Int { self.server.port }
    var target: Target { Target(host: self.host, port: self.port) }
    var requests: Int { self.state.withLockedValue { $0.requests } }
    var probes: Int { self.state.withLockedValue { $0.probes } }

    func answer(status: Int) { self.state.withLockedValue { $0.status = status } }
    func answerProbes(status: Int) { self.state.withLockedValue { $0.healthStatus = status } }

    private init(name: String, host: String, server: LoopbackServer,
                 state: NIOLockedValueBox<(status: Int, healthStatus: Int, requests: Int, probes: Int)>) {
        self.name = name
        self.host = host
        self.server = server
        self.state = state
    }

    static func start(_ name: String, host: String = "127.0.0.1", port: Int = 0) async throws -> NamedUpstream {
        let state = NIOLockedValueBox((status: 200, healthStatus: 200, requests: 0, probes: 0))
        let server = try await LoopbackServer.start(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(Handler(name: name, state: state))
            }
        }
        return NamedUpstream(name: name, host: host, server: server, state: state)
    }

    func shutdown() async {
        await self.server.shutdown()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let name: String
        let state: NIOLockedValueBox<(status: Int, healthStatus: Int, requests: Int, probes: Int)>
        var head: HTTPRequestHead?

        init(name: String, state: NIOLockedValueBox<(status: Int, healthStatus: Int, requests: Int, probes: Int)>) {
            self.name = name
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head = self.head else { return }
                let isProbe = head.uri.hasPrefix("/health")
                let status = self.state.withLockedValue { state -> Int in
                    if isProbe { state.probes += 1 } else { state.requests += 1 }
                    return isProbe ? state.healthStatus : state.status
                }
                let body = ByteBuffer(string: self.name)
                var headers = HTTPHeaders([("content-length", "\(body.readableBytes)"), ("content-type", "text/plain")])
                if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
                let response = HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers)
                context.write(Self.wrapOutboundOut(.head(response)), promise: nil)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                let keepAlive = head.isKeepAlive
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    if !keepAlive { context.close(promise: nil) }
                }
            }
        }
    }
}

/// Runs `body` with upstreams named `names`, shut down afterwards.
func withNamedUpstreams<Result>(_ names: [String], _ body: ([NamedUpstream]) async throws -> Result) async throws -> Result {
    var upstreams: [NamedUpstream] = []
    do {
        for name in names { upstreams.append(try await NamedUpstream.start(name)) }
        let result = try await body(upstreams)
        for upstream in upstreams { await upstream.shutdown() }
        return result
    } catch {
        for upstream in upstreams { await upstream.shutdown() }
        throw error
    }
}
