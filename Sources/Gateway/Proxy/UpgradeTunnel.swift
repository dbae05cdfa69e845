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
                let (clientSide, upstreamSide) = TunnelHandler.makePair()
                try clientChannel.pipeline.syncOperations.addHandler(clientSide)
                try upstreamChannel.pipeline.syncOperations.addHandler(upstreamSide)
                try Self.removeHTTPHandlers(from: clientChannel.pipeline.syncOperations, server: true)
                try Self.removeHTTPHandlers(from: upstreamChannel.pipeline.syncOperations, server: false)
            } catch {
                clientChannel.close(promise: nil)
                upstreamChannel.close(promise: nil)
            }
        }
    }

    /// Removes the HTTP handlers, decoder last but one so its leftover bytes go to the tunnel handler.
    private static func removeHTTPHandlers(
        from pipeline: ChannelPipeline.SynchronousOperations,
        server: Bool
    ) throws {
        if server {
            try Self.remove(ProxyHandler.self, from: pipeline)
            try Self.remove(GatewayProtocolErrorHandler.self, from: pipeline)
            try Self.remove(HTTPServerPipelineHandler.self, from: pipeline)
            try Self.remove(NIOHTTPResponseHeadersValidator.self, from: pipeline)
            try Self.remove(ByteToMessageHandler<HTTPRequestDecoder>.self, from: pipeline)
            try Self.remove(HTTPResponseEncoder.self, from: pipeline)
        } else {
            try Self.remove(UpstreamConnectionHandler.self, from: pipeline)
            try Self.remove(NIOHTTPRequestHeadersValidator.self, from: pipeline)
            try Self.remove(ByteToMessageHandler<HTTPResponseDecoder>.self, from: pipeline)
            try Self.remove(HTTPRequestEncoder.self, from: pipeline)
        }
    }

    private static func remove<Handler: RemovableChannelHandler>(
        _ type: Handler.Type,
        from pipeline: ChannelPipeline.SynchronousOperations
    ) throws {
        guard let handler = try? pipeline.handler(type: type) else { return }
        pipeline.removeHandler(handler, promise: nil)
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
