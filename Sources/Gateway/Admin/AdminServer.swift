import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The admin listener (loopback by default): read-only views of the running gateway as JSON, lists answered
/// as Kong answers them (`{"data": [...], "next": null}`), and the Prometheus metrics.
enum AdminServer {
    static func bind(host: String, port: Int, group: EventLoopGroup, api: AdminAPI) -> EventLoopFuture<Channel> {
        ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(api: api))
                }
            }
            .bind(host: host, port: port)
    }
}

/// Answers admin requests once the request has arrived whole (admin requests have no bodies worth streaming).
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: AdminAPI
    private var request: HTTPRequestHead?

    init(api: AdminAPI) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.request = head
        case .body:
            break
        case .end:
            guard let request = self.request else { return }
            self.request = nil
            let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            self.api.answer(method: request.method, path: path, on: context.eventLoop).assumeIsolated().whenSuccess { answer in
                self.write(answer, to: request, context: context)
            }
        }
    }

    private func write(_ answer: AdminAPI.Answer, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.count))
        if !request.isKeepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: answer.status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer.body)))), promise: nil)
        let done = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        if !request.isKeepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

@available(*, unavailable)
extension AdminHandler: Sendable {}
