import NIOCore
import NIOPosix

/// A raw TCP connection that records every byte it receives, and its close, from the moment it connects: a
/// connection the server closes before the test asks (refused at once, or timed out while the test was busy)
/// still tells what it got.
final class WatchedConnection: Sendable {
    private let channel: Channel
    private let closed: EventLoopFuture<[UInt8]>

    private init(channel: Channel, closed: EventLoopFuture<[UInt8]>) {
        self.channel = channel
        self.closed = closed
    }

    static func connect(port: Int, group: EventLoopGroup) async throws -> WatchedConnection {
        let loop = group.next()
        let closed = loop.makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CloseRecorder(closed: closed))
                }
            }
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
            .get()
        return WatchedConnection(channel: channel, closed: closed.futureResult)
    }

    /// Sends `text`; throws once the server closed the connection.
    func send(_ text: String) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received, once the server closed the connection; throws `TestTimeoutError` after `limit`.
    func receivedUntilClose(limit: TimeAmount = .seconds(30)) async throws -> String {
        let result = self.channel.eventLoop.makePromise(of: [UInt8]?.self)
        self.closed.whenSuccess { result.succeed($0) }
        let hangGuard = self.channel.eventLoop.scheduleTask(in: limit) { result.succeed(nil) }
        defer { hangGuard.cancel() }
        guard let bytes = try await result.futureResult.get() else {
            throw TestTimeoutError(what: "the server to close")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func close() async {
        try? await self.channel.close()
    }
}

/// Keeps the bytes read and hands them over when the connection closes.
private final class CloseRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let closed: EventLoopPromise<[UInt8]>
    private var received: [UInt8] = []

    init(closed: EventLoopPromise<[UInt8]>) {
        self.closed = closed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received += Self.unwrapInboundIn(data).readableBytesView
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed.succeed(self.received)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.closed.succeed(self.received)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
