import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

@testable import Gateway

/// A DNS server on loopback UDP that answers A questions for any name with the addresses and TTL the test sets
/// (none: NXDOMAIN), and AAAA questions with no records. Counts the questions it answered.
final class TestDNSServer: Sendable {
    let address: SocketAddress
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    private let state: NIOLockedValueBox<(addresses: [[UInt8]], ttl: UInt32, questions: Int)>

    var questions: Int { self.state.withLockedValue { $0.questions } }

    func answer(_ addresses: [[UInt8]], ttl: UInt32) {
        self.state.withLockedValue { state in
            state.addresses = addresses
            state.ttl = ttl
        }
    }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel, state: NIOLockedValueBox<(addresses: [[UInt8]], ttl: UInt32, questions: Int)>) {
        self.group = group
        self.channel = channel
        self.address = channel.localAddress!
        self.state = state
    }

    static func start() async throws -> TestDNSServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = NIOLockedValueBox((addresses: [[UInt8]](), ttl: UInt32(1), questions: 0))
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestDNSServer(group: group, channel: channel, state: state)
    }

    func shutdown() async {
        try? await self.channel.close()
        try? await self.group.shutdownGracefully()
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        let state: NIOLockedValueBox<(addresses: [[UInt8]], ttl: UInt32, questions: Int)>

        init(state: NIOLockedValueBox<(addresses: [[UInt8]], ttl: UInt32, questions: Int)>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            var answer = envelope.data
            // The question's type: the two bytes before its class, at the end of the message.
            guard let type = answer.getInteger(at: answer.writerIndex - 4, as: UInt16.self) else { return }
            let (addresses, ttl) = self.state.withLockedValue { state in
                state.questions += 1
                return (state.addresses, state.ttl)
            }
            let records = type == 1 ? addresses : []
            answer.setInteger(UInt16(addresses.isEmpty ? 0x8183 : 0x8180), at: answer.readerIndex + 2)
            answer.setInteger(UInt16(records.count), at: answer.readerIndex + 6)
            for record in records {
                answer.writeBytes([0xC0, 12])
                answer.writeInteger(UInt16(1))
                answer.writeInteger(UInt16(1))
                answer.writeInteger(ttl)
                answer.writeInteger(UInt16(record.count))
                answer.writeBytes(record)
            }
            context.writeAndFlush(Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: answer)), promise: nil)
        }
    }
}
