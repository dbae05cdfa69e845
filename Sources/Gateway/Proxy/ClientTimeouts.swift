import NIOCore
import NIOHTTP1

/// The header and keep-alive timeouts of one client connection (`ClientTimeoutStateMachine`), fed by two
/// handlers: `ClientTimeoutReadHandler` at the front of the pipeline sees bytes arrive, and
/// `ClientTimeoutExchangeHandler` before `ProxyHandler` sees request heads in and response ends out.
///
/// One timer at a time runs per connection, set for the deadline when there is none earlier: a busy keep-alive
/// connection re-arms it about once per timeout rather than once per request.
final class ClientTimeouts {
    private var machine: ClientTimeoutStateMachine
    private let eventLoop: EventLoop
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    /// The exchange handler's context: where a 408 is written and the connection closed.
    fileprivate var context: ChannelHandlerContext?

    /// A connection accepted now on `eventLoop`; the timer starts when its read handler sees it active.
    init(limits: ClientLimits, eventLoop: EventLoop) {
        self.machine = ClientTimeoutStateMachine(
            headerTimeout: limits.headerTimeout,
            keepaliveTimeout: limits.keepaliveTimeout,
            now: .now()
        )
        self.eventLoop = eventLoop
    }

    /// The two handlers: the read handler goes first in the pipeline (after TLS), the exchange handler just before
    /// `ProxyHandler`.
    func makeHandlers() -> (ClientTimeoutReadHandler, ClientTimeoutExchangeHandler) {
        (ClientTimeoutReadHandler(timeouts: self), ClientTimeoutExchangeHandler(timeouts: self))
    }

    fileprivate func bytesReceived() {
        self.machine.bytesReceived(now: .now())
        self.updateTimer()
    }

    fileprivate func headReceived() {
        self.machine.headReceived()
    }

    fileprivate func responseEnded() {
        self.machine.responseEnded(now: .now())
        self.updateTimer()
    }

    fileprivate func upgraded() {
        self.machine.upgraded()
        self.stop()
    }

    /// Sets the timer for the deadline, unless one is set for it or earlier (it re-arms itself when it fires).
    fileprivate func updateTimer() {
        guard let deadline = self.machine.deadline else { return }
        if let set = self.timerDeadline, set <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired()
        }
    }

    fileprivate func stop() {
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
    }

    private func timerFired() {
        self.timer = nil
        self.timerDeadline = nil
        switch self.machine.timerFired(now: .now()) {
        case .none:
            self.updateTimer()
        case .close:
            self.context?.close(promise: nil)
        case .answerTimeoutAndClose:
            guard let context = self.context else { return }
            let response = GatewayResponse.requestTimeout
            let body = response.body(allocator: context.channel.allocator)
            let head = response.head(version: .http1_1, bodyLength: body.readableBytes, keepAlive: false)
            context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}

/// First in a client connection's pipeline (after TLS): tells `ClientTimeouts` when bytes arrive.
final class ClientTimeoutReadHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeouts: ClientTimeouts

    fileprivate init(timeouts: ClientTimeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.timeouts.updateTimer() }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.timeouts.updateTimer()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.timeouts.bytesReceived()
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timeouts.stop()
        context.fireChannelInactive()
    }
}

/// Just before `ProxyHandler`: tells `ClientTimeouts` of request heads and response ends. After a
/// `101 Switching Protocols` the pipeline carries a byte tunnel: the handler lets whatever comes pass untouched, and
/// leaves once the 101 is flushed (not while it is being written: a `writeAndFlush` still flushes through it).
final class ClientTimeoutExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeouts: ClientTimeouts
    private var switchingProtocols = false
    /// Set once the 101 has ended: nothing after it is HTTP.
    private var tunneling = false
    private var leaving = false

    fileprivate init(timeouts: ClientTimeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timeouts.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timeouts.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !self.tunneling, case .head = Self.unwrapInboundIn(data) { self.timeouts.headReceived() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !self.tunneling else { return context.write(data, promise: promise) }
        switch Self.unwrapOutboundIn(data) {
        case .head(let head):
            if head.status == .switchingProtocols { self.switchingProtocols = true }
        case .body:
            break
        case .end:
            if self.switchingProtocols {
                self.tunneling = true
                self.timeouts.upgraded()
            } else {
                self.timeouts.responseEnded()
            }
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
        if self.tunneling, !self.leaving {
            self.leaving = true
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }
}

@available(*, unavailable)
extension ClientTimeouts: Sendable {}

@available(*, unavailable)
extension ClientTimeoutReadHandler: Sendable {}

@available(*, unavailable)
extension ClientTimeoutExchangeHandler: Sendable {}
