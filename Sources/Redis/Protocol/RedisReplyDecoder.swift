import NIOCore

/// Turns the bytes Redis sends into `RedisReply`s, with hiredis' reader doing the parsing.
///
/// hiredis keeps the bytes of an incomplete reply in its own buffer, so every byte that arrives is handed to it at
/// once, and each read passes on every reply that hiredis can then complete. (A single-step decoder would not do:
/// `ByteToMessageHandler` stops asking once its buffer is empty, which would strand the second of two replies that
/// arrived together inside hiredis.)
struct RedisReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = RedisReply

    private let reader = HiredisReader()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try buffer.withUnsafeReadableBytes { try self.reader.feed($0) }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        while let reply = try self.reader.nextReply() {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .needMoreData
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }
}

@available(*, unavailable)
extension RedisReplyDecoder: Sendable {}
