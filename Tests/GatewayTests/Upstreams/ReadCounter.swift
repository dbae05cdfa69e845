import NIOCore

/// Counts the reads that reach it from the handlers after it, and passes them on: put next to the head of a
/// test channel, it sees the reads a gate lets through.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Never

    var reads = 0

    func read(context: ChannelHandlerContext) {
        self.reads += 1
        context.read()
    }
}
