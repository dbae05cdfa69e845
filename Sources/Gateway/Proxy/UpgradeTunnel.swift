import NIOCore
import NIOHTTP1

/// Joins a client connection and an upstream connection as a byte tunnel after the upstream accepted an
/// `Upgrade` (WebSocket) with 101: the HTTP handlers leave both pipelines and bytes flow as they arrive.
enum UpgradeTunnel {
    static func join(client: ChannelHandlerContext, upstream: UpstreamConnection, response: HTTPResponseHead) {
        var head = response
        HeaderRewriting.appendVia(to: &head.headers)
        client.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        let clientChannel = client.channel
        let upstreamChannel = upstream.channel
        upstream.delegate = nil
        client.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { result in
            guard case .success = result else {
                upstreamChannel.close(promise: nil)
                return
            }
            do {
                let clientPipeline = clientChannel.pipeline.syncOperations
                let upstreamPipeline = upstreamChannel.pipeline.syncOperations
                let (clientSide, upstreamSide) = TunnelHandler.makePair()
                try clientPipeline.addHandler(clientSide)
                try upstreamPipeline.addHandler(upstreamSide)
                Self.removeHTTPHandlers(from: clientPipeline, server: true)
                Self.removeHTTPHandlers(from: upstreamPipeline, server: false)
                // The decoders go last: removing one forwards the bytes it holds past the HTTP message (sent along
                // with the upgrade request or the 101) to its tunnel handler, which writes them to the other side,
                // whose HTTP handlers must be gone by then. A decoder leaves in a task of its own, in the order
                // asked; the upstream's goes first, since it also handles writes (it notes request heads). Those
                // bytes come with no read-complete to flush them, so the other side is flushed once each has left.
                Self.remove(ByteToMessageHandler<HTTPResponseDecoder>.self, from: upstreamPipeline)?
                    .whenSuccess { clientChannel.flush() }
                Self.remove(ByteToMessageHandler<HTTPRequestDecoder>.self, from: clientPipeline)?
                    .whenSuccess { upstreamChannel.flush() }
            } catch {
                clientChannel.close(promise: nil)
                upstreamChannel.close(promise: nil)
            }
        }
    }

    /// Removes the HTTP handlers but the decoder.
    private static func removeHTTPHandlers(
        from pipeline: ChannelPipeline.SynchronousOperations,
        server: Bool
    ) {
        if server {
            Self.remove(ProxyHandler.self, from: pipeline)
            Self.remove(HTTPResponseEncoder.self, from: pipeline)
        } else {
            Self.remove(UpstreamConnectionHandler.self, from: pipeline)
            Self.remove(HTTPRequestEncoder.self, from: pipeline)
        }
    }

    /// Removes the handler of `type`, when the pipeline has one; the future completes once it has left.
    @discardableResult
    private static func remove<Handler: RemovableChannelHandler>(
        _ type: Handler.Type,
        from pipeline: ChannelPipeline.SynchronousOperations
    ) -> EventLoopFuture<Void>? {
        guard let handler = try? pipeline.handler(type: type) else { return nil }
        return pipeline.removeHandler(handler)
    }
}

/// One side of a byte tunnel: what it reads, its partner writes; a side that cannot write pauses the other's
/// reads; when one side closes, so does the other.
final class TunnelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: TunnelHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func makePair() -> (TunnelHandler, TunnelHandler) {
        let first = TunnelHandler()
        let second = TunnelHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.partner?.readIfPending() }
    }

    func read(context: ChannelHandlerContext) {
        if self.partner?.context?.channel.isWritable ?? true {
            context.read()
        } else {
            self.pendingRead = true
        }
    }

    private func readIfPending() {
        if self.pendingRead {
            self.pendingRead = false
            self.context?.read()
        }
    }
}

@available(*, unavailable)
extension TunnelHandler: Sendable {}
