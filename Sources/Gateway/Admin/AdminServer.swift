import NIOCore
import NIOHTTP1
import NIOPosix

/// An admin listener (the admin API, loopback by default) or the status listener: HTTP/1.1, answered as JSON by
/// `routes`, every request checked by `access` first.
enum AdminServer {
    static func bind(
        _ address: ListenAddress,
        group: EventLoopGroup,
        routes: AdminRoutes,
        access: AdminAccess
    ) -> EventLoopFuture<Channel> {
        ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(routes: routes, access: access))
                }
            }
            .bind(host: address.host, port: address.port)
    }
}

/// Answers admin requests once the request has arrived whole (their bodies are ignored). Answers that take time
/// (a reload reads files) are made off the event loop; NIO's pipelining handler keeps pipelined answers in order.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: AdminRoutes
    private let access: AdminAccess
    private var request: HTTPRequestHead?

    init(routes: AdminRoutes, access: AdminAccess) {
        self.routes = routes
        self.access = access
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
            guard self.access.permits(request.headers) else {
                var answer = AdminJSON.answer(AdminMessage(message: "Unauthorized"), status: .unauthorized)
                answer.headers.append(("www-authenticate", #"Bearer realm="acme-gateway""#))
                self.write(answer, to: request, context: context)
                return
            }
            let path =
                request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
                ?? ""
            let adminRequest = AdminRequest(method: request.method, path: path, eventLoop: context.eventLoop)
            let routes = self.routes
            let answered = context.eventLoop.makePromise(of: AdminAnswer.self)
            answered.completeWithTask { await routes.answer(adminRequest) }
            answered.futureResult.assumeIsolated().whenSuccess { answer in
                self.write(answer, to: request, context: context)
            }
        }
    }

    private func write(_ answer: AdminAnswer, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.count))
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
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
