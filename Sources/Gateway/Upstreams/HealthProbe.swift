import NIOCore
import NIOPosix

/// One active health probe of a target: a TCP connection, and for `http` probes a `GET` of the probe path whose
/// status line is all that is read. The whole probe has `timeout`.
enum HealthProbe {
    static func run(
        _ active: Healthchecks.Active,
        address: Target,
        hostHeader: String,
        on loop: any EventLoop
    ) -> EventLoopFuture<TargetHealth.Outcome> {
        let timeout = TimeAmount.nanoseconds(Int64(active.timeout * 1e9))
        let promise = loop.makePromise(of: TargetHealth.Outcome.self)
        let completed = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: loop)
        let finish: @Sendable (TargetHealth.Outcome) -> Void = { outcome in
            guard !completed.value else { return }
            completed.value = true
            promise.succeed(outcome)
        }
        let timer = loop.scheduleTask(in: timeout) { finish(.timeout) }
        let request = active.type == .http ? Self.request(active, hostHeader: hostHeader) : nil
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StatusLineReader(finish: finish))
                }
            }
            .connect(literalOrName: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .failure(ChannelError.connectTimeout):
                    finish(.timeout)
                case .failure:
                    finish(.tcpFailure)
                case .success(let channel):
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    guard let request else { return finish(.answered(status: nil)) }
                    channel.writeAndFlush(ByteBuffer(string: request), promise: nil)
                }
            }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    private static func request(_ active: Healthchecks.Active, hostHeader: String) -> String {
        var text = "GET \(active.httpPath) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: acme-gateway-healthcheck\r\n"
        for (name, values) in active.headers.sorted(by: { $0.key < $1.key }) {
            for value in values { text += "\(name): \(value)\r\n" }
        }
        return text + "Connection: close\r\n\r\n"
    }

    /// Reads a response's status line: its status is the outcome; a connection that ends first is a TCP failure.
    private final class StatusLineReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let finish: @Sendable (TargetHealth.Outcome) -> Void
        private var received = ByteBuffer()

        init(finish: @escaping @Sendable (TargetHealth.Outcome) -> Void) {
            self.finish = finish
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = Self.unwrapInboundIn(data)
            self.received.writeBuffer(&buffer)
            let view = self.received.readableBytesView
            guard let end = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count > 8192 { self.finish(.tcpFailure) }
                return
            }
            let line = String(decoding: view[view.startIndex..<end], as: UTF8.self)
            let fields = line.split(separator: " ")
            if fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]), (100...999).contains(status) {
                self.finish(.answered(status: status))
            } else {
                self.finish(.tcpFailure)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.finish(.tcpFailure)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.finish(.tcpFailure)
            context.close(promise: nil)
        }
    }
}
