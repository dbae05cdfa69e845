import NIOCore

/// The last handler of a Redis connection's pipeline: writes commands, matches each reply to the oldest command
/// still waiting (Redis answers in order), and fails a command that gets no reply within the command timeout.
///
/// A timeout or any error closes the connection and fails every command still waiting on it: once one reply is
/// missing, the later ones could no longer be matched. Only used on its channel's event loop.
final class RedisConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = RedisReply
    typealias OutboundOut = RedisCommand

    private struct WaitingCommand {
        let promise: EventLoopPromise<RedisReply>
        let deadline: NIODeadline
    }

    private let commandTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    /// Commands sent and not yet answered, oldest first; their deadlines are in the same order.
    private var waiting = CircularBuffer<WaitingCommand>()
    /// The check of the oldest command's deadline, while one is scheduled.
    private var timeoutCheck: Scheduled<Void>?
    /// Whether a flush is queued on the event loop: commands sent in one pass of the loop leave in one write.
    private var flushQueued = false
    /// Why this connection takes no more commands, once it takes none.
    private var closedError: RedisError?

    init(commandTimeout: TimeAmount) {
        self.commandTimeout = commandTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.fail(with: .connectionClosed())
    }

    /// Sends `command`; `promise` gets its reply, or the reason it will get none. A server error reply fails it with
    /// ``RedisError/Code/server``.
    func send(_ command: RedisCommand, promise: EventLoopPromise<RedisReply>) {
        guard let context = self.context, self.closedError == nil else {
            promise.fail(self.closedError ?? .connectionClosed())
            return
        }
        let deadline = context.eventLoop.now + self.commandTimeout
        self.waiting.append(WaitingCommand(promise: promise, deadline: deadline))
        context.write(self.wrapOutboundOut(command), promise: nil)
        if !self.flushQueued {
            self.flushQueued = true
            context.eventLoop.assumeIsolated().execute {
                self.flushQueued = false
                self.context?.flush()
            }
        }
        if self.timeoutCheck == nil {
            self.scheduleTimeoutCheck(at: deadline, on: context.eventLoop)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        guard let command = self.waiting.popFirst() else {
            self.close(context: context, error: .protocolError(message: "Redis sent a reply that no command waits for"))
            return
        }
        if case .error(let message) = reply {
            command.promise.fail(RedisError.server(message: message))
        } else {
            command.promise.succeed(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(with: .connectionClosed())
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let error = error as? RedisError ?? .connectionClosed(message: "the connection failed: \(error)")
        self.close(context: context, error: error)
    }

    private func scheduleTimeoutCheck(at deadline: NIODeadline, on eventLoop: EventLoop) {
        self.timeoutCheck = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.checkTimeout()
        }
    }

    /// Fails the oldest command if its deadline passed; otherwise checks again at its deadline.
    private func checkTimeout() {
        self.timeoutCheck = nil
        guard let context = self.context, let oldest = self.waiting.first else { return }
        guard oldest.deadline <= context.eventLoop.now else {
            self.scheduleTimeoutCheck(at: oldest.deadline, on: context.eventLoop)
            return
        }
        self.waiting.removeFirst()
        let closed = RedisError.connectionClosed(
            message: "the connection was closed after an earlier command timed out")
        self.closedError = closed
        oldest.promise.fail(RedisError.timeout(message: "no reply within \(Self.describe(self.commandTimeout))"))
        self.close(context: context, error: closed)
    }

    private func close(context: ChannelHandlerContext, error: RedisError) {
        self.fail(with: error)
        context.close(promise: nil)
    }

    /// Takes no more commands, and fails those waiting with `error` (unless an earlier failure already did).
    private func fail(with error: RedisError) {
        if self.closedError == nil { self.closedError = error }
        self.timeoutCheck?.cancel()
        self.timeoutCheck = nil
        while let command = self.waiting.popFirst() {
            command.promise.fail(error)
        }
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

@available(*, unavailable)
extension RedisConnectionHandler: Sendable {}
