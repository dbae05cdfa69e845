import NIOCore
import NIOHTTP1

/// What an upstream connection reports to the exchange that is using it. All calls happen on the connection's
/// event loop, which is the loop of the client connection that owns the exchange.
protocol UpstreamConnectionDelegate: AnyObject {
    func upstreamDidReceive(_ part: HTTPClientResponsePart)
    /// The upstream finished a read burst: a good moment to flush what was forwarded to the client.
    func upstreamDidFinishReading()
    /// The connection can take more request bytes again (or can't).
    func upstreamWritabilityDidChange(isWritable: Bool)
    /// The connection failed or closed before the exchange ended.
    func upstreamDidFail(_ error: UpstreamError)
}

/// Why an exchange with an upstream failed.
enum UpstreamError: Error, Equatable {
    /// The TCP connection could not be established (refused, unreachable).
    case connectFailed
    case connectTimeout
    /// No read from the upstream for `read_timeout`.
    case readTimeout
    /// The upstream took none of the request for `write_timeout` while more was waiting to be sent.
    case writeTimeout
    /// The connection closed, reset, or sent something that is not HTTP, before the response was complete.
    case broken
}

/// One keep-alive HTTP/1.1 connection to a target, used by one exchange at a time.
final class UpstreamConnection {
    let channel: Channel
    let key: UpstreamPoolKey
    private let handler: UpstreamConnectionHandler
    /// Whether an exchange already used this connection: a failure before the response then may mean the
    /// upstream closed it while idle, and the request may be retried on a fresh one.
    var wasReused = false

    init(channel: Channel, key: UpstreamPoolKey, handler: UpstreamConnectionHandler) {
        self.channel = channel
        self.key = key
        self.handler = handler
    }

    /// The exchange that receives this connection's events, or nil while idle.
    var delegate: UpstreamConnectionDelegate? {
        get { self.handler.delegate }
        set { self.handler.delegate = newValue }
    }

    var isActive: Bool { self.channel.isActive && !self.handler.sawClose }
    var isWritable: Bool { self.channel.isWritable }

    func write(_ part: HTTPClientRequestPart) {
        self.channel.write(part, promise: nil)
    }

    func flush() {
        self.channel.flush()
    }

    /// Stops reading from the upstream until `resumeReading` (the client is not keeping up).
    func pauseReading() { self.handler.pauseReading() }
    func resumeReading() { self.handler.resumeReading() }

    func close() {
        self.handler.delegate = nil
        self.channel.close(promise: nil)
    }
}

/// The last handler of an upstream connection's pipeline: passes response parts to the delegate and holds
/// reads while the client is slow.
final class UpstreamConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var delegate: UpstreamConnectionDelegate?
    private(set) var sawClose = false
    private var context: ChannelHandlerContext?
    private var readGate = ReadGate()

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.delegate?.upstreamDidReceive(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.delegate?.upstreamDidFinishReading()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.delegate?.upstreamWritabilityDidChange(isWritable: context.channel.isWritable)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.sawClose = true
        let delegate = self.delegate
        self.delegate = nil
        delegate?.upstreamDidFail(.broken)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        self.sawClose = true
        let delegate = self.delegate
        self.delegate = nil
        delegate?.upstreamDidFail(.broken)
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        self.readGate.read(context: context)
    }

    func pauseReading() {
        self.readGate.close()
    }

    func resumeReading() {
        self.readGate.open(context: self.context)
    }
}

@available(*, unavailable)
extension UpstreamConnectionHandler: Sendable {}

@available(*, unavailable)
extension UpstreamConnection: Sendable {}
