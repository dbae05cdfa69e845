import NIOCore
import NIOPosix

/// One DNS question over UDP, from a socket of its own (a random port and id), answered or timed out.
enum DNSQuery {
    static func send(
        name: String,
        type: DNSMessage.RecordType,
        to server: SocketAddress,
        timeout: TimeAmount,
        on loop: any EventLoop
    ) -> EventLoopFuture<DNSMessage.Answer> {
        let id = UInt16.random(in: 0...UInt16.max)
        guard let query = DNSMessage.query(id: id, name: name, type: type) else {
            return loop.makeSucceededFuture(.notFound)
        }
        let promise = loop.makePromise(of: DNSMessage.Answer.self)
        // Every completion below runs on `loop`: the first one wins.
        let completed = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: loop)
        let finish: @Sendable (Result<DNSMessage.Answer, any Error>) -> Void = { result in
            guard !completed.value else { return }
            completed.value = true
            promise.completeWith(result)
        }
        let bindHost = server.protocol == .inet6 ? "::" : "0.0.0.0"
        DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler(id: id, type: type, finish: finish))
                }
            }
            .bind(host: bindHost, port: 0)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    finish(.failure(error))
                case .success(let channel):
                    let timer = loop.scheduleTask(in: timeout) { finish(.failure(ChannelError.connectTimeout(timeout))) }
                    promise.futureResult.whenComplete { _ in
                        timer.cancel()
                        channel.close(promise: nil)
                    }
                    channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: query)).whenFailure { error in
                        finish(.failure(error))
                    }
                }
            }
        return promise.futureResult
    }

    /// Hands `finish` the first answer carrying the query's id.
    private final class AnswerHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        private let id: UInt16
        private let type: DNSMessage.RecordType
        private let finish: @Sendable (Result<DNSMessage.Answer, any Error>) -> Void

        init(id: UInt16, type: DNSMessage.RecordType, finish: @escaping @Sendable (Result<DNSMessage.Answer, any Error>) -> Void) {
            self.id = id
            self.type = type
            self.finish = finish
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let message = Self.unwrapInboundIn(data).data
            guard DNSMessage.id(of: message) == self.id else { return }
            self.finish(Result { try DNSMessage.parse(message, type: self.type) })
        }
    }
}
