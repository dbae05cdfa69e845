import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The proxy listener: accepts client connections on every event loop and gives each the HTTP/1.1 server
/// pipeline (behind TLS on the HTTPS listener), the client timeouts and a `ProxyHandler`. A connection stays on
/// the loop that accepted it; one beyond `ClientLimits.maxConnections` is closed at once.
enum ProxyServer {
    /// The largest request header block accepted; a larger one is answered 431.
    static let maxHeaderBytes = 32 * 1024

    private static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = Self.maxHeaderBytes
        limits.maxHeaderFieldSize = Self.maxHeaderBytes
        return limits
    }

    static func bind(
        host: String,
        port: Int,
        group: EventLoopGroup,
        runtimes: GatewayRuntimeHolder,
        upstreams: UpstreamsByLoop,
        trusted: TrustedAddresses,
        accessLog: AccessLog,
        statistics: ConnectionStatistics,
        quiescing: ServerQuiescingHelper,
        limits: ClientLimits,
        tls: NIOSSLContext? = nil
    ) -> EventLoopFuture<Channel> {
        let decoderLimits = Self.decoderLimits
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.maxMessagesPerRead, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    guard statistics.connectionOpened(channel, limit: limits.maxConnections) else {
                        return try pipeline.addHandler(RefusedConnectionHandler())
                    }
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
                    let (readTimeouts, exchangeTimeouts) = ClientTimeouts(limits: limits, eventLoop: channel.eventLoop)
                        .makeHandlers()
                    try pipeline.addHandler(readTimeouts)
                    // An upgrader-less upgrade configuration: NIO then keeps the bytes after an `Upgrade` request
                    // for the tunnel, which ProxyHandler sets up itself once the upstream answers 101.
                    try pipeline.configureHTTPServerPipeline(
                        // ProxyHandler orders pipelined requests itself, without holding reads (and re-arming
                        // epoll) on every request as NIO's pipelining handler does.
                        withPipeliningAssistance: false,
                        withServerUpgrade: (upgraders: [], completionHandler: { _ in }),
                        withErrorHandling: false,
                        withOutboundHeaderValidation: false,
                        withEncoderConfiguration: .init(),
                        withDecoderLimitConfiguration: decoderLimits
                    )
                    try pipeline.addHandler(exchangeTimeouts)
                    try pipeline.addHandler(
                        ProxyHandler(
                            runtimes: runtimes,
                            upstreams: upstreams.forLoop(channel.eventLoop),
                            trusted: trusted,
                            accessLog: accessLog,
                            statistics: statistics,
                            isTLS: tls != nil
                        )
                    )
                }
            }
            .bind(host: host, port: port)
    }
}

/// The whole pipeline of a connection beyond the connection limit: it closes the connection as soon as it is
/// active, before anything is read or parsed.
final class RefusedConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension RefusedConnectionHandler: Sendable {}
