import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

/// The smallest handler that keeps a `ReadGate`, as `ProxyHandler` and `UpstreamConnection` do.
private final class GatedHandler: ChannelOutboundHandler {
    typealias OutboundIn = Never

    private var gate = ReadGate()
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func read(context: ChannelHandlerContext) {
        self.gate.read(context: context)
    }

    func close() {
        self.gate.close()
    }

    func open(withContext: Bool = true) {
        self.gate.open(context: withContext ? self.context : nil)
    }
}

@Suite struct ReadGateTests {
    /// A channel with `ReadCounter` next to the head and `GatedHandler` after it: the counter sees the reads that
    /// the gate lets through.
    private static func makeChannel() throws -> (EmbeddedChannel, ReadCounter, GatedHandler) {
        let counter = ReadCounter()
        let gated = GatedHandler()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(gated)
        return (channel, counter, gated)
    }

    @Test func passesReadsOnWhileOpen() throws {
        let (channel, counter, _) = try Self.makeChannel()
        channel.read()
        channel.read()
        #expect(counter.reads == 2)
        _ = try channel.finish()
    }

    @Test func holdsReadsWhileClosedAndPassesOneOnWhenOpened() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        gated.close()
        channel.read()
        channel.read()
        channel.read()
        #expect(counter.reads == 0)
        gated.open()
        #expect(counter.reads == 1)
        // Open again: reads pass straight through.
        channel.read()
        #expect(counter.reads == 2)
        _ = try channel.finish()
    }

    @Test func openingWithoutAHeldReadPassesNothing() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        gated.close()
        gated.open()
        #expect(counter.reads == 0)
        _ = try channel.finish()
    }

    @Test func openingAnOpenGatePassesNothing() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        channel.read()
        gated.open()
        gated.open()
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }

    @Test func aHeldReadIsPassedOnOnlyOnce() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        gated.close()
        channel.read()
        gated.open()
        gated.close()
        gated.open()
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }

    @Test func closingTwiceNeedsOneOpen() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        gated.close()
        gated.close()
        channel.read()
        gated.open()
        #expect(counter.reads == 1)
        channel.read()
        #expect(counter.reads == 2)
        _ = try channel.finish()
    }

    @Test func openingWithoutAContextPassesNothingButOpens() throws {
        let (channel, counter, gated) = try Self.makeChannel()
        gated.close()
        channel.read()
        gated.open(withContext: false)
        #expect(counter.reads == 0)
        channel.read()
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }
}
