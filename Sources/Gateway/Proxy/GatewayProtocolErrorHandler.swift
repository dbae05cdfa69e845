import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser rejects: 431 when the header block is too large, 400 for everything else
/// (malformed request line, both `Content-Length` and `Transfer-Encoding`, conflicting `Content-Length`, bad
/// chunk framing). Nothing of such a request reaches a route; the decoder closes the connection after this.
final class GatewayProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !self.responseInProgress {
            let response: GatewayResponse = parserError == .headerOverflow ? .headersTooLarge : .badRequest
            let body = response.body(allocator: context.channel.allocator)
            let head = response.head(version: .http1_1, bodyLength: body.readableBytes, keepAlive: false)
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            self.responseInProgress = true
        }
        context.close(promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200 || head.status == .switchingProtocols:
            self.responseInProgress = true
        case .end:
            self.responseInProgress = false
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension GatewayProtocolErrorHandler: Sendable {}
