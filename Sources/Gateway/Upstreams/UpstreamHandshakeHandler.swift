import NIOCore
import NIOTLS

/// Sits behind `NIOSSLClientHandler` on a new https upstream connection until its TLS handshake ends, and then
/// leaves. The pool hands the connection to an exchange only once `completion` succeeded, so a failed handshake or
/// certificate check is a connect failure (nothing of the request was sent), and the handshake counts against the
/// connect timeout, as NGINX counts it.
final class UpstreamHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let completion: EventLoopPromise<Void>
    private let deadline: NIODeadline
    private var timeout: Scheduled<Void>?

    /// `completion` succeeds when the handshake is done, and fails with an `UpstreamError` when it fails, the
    /// connection closes first, or `deadline` passes first.
    init(completion: EventLoopPromise<Void>, deadline: NIODeadline) {
        self.completion = completion
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: self.deadline) {
            self.completion.fail(UpstreamError.connectTimeout)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timeout?.cancel()
        self.timeout = nil
        // A no-op once the handshake succeeded.
        self.completion.fail(UpstreamError.connectFailed)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .handshakeCompleted = event as? TLSUserEvent {
            self.completion.succeed()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        self.completion.fail(UpstreamError.connectFailed)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.completion.fail(UpstreamError.connectFailed)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension UpstreamHandshakeHandler: Sendable {}
