import NIOCore

/// Writes `RedisCommand`s in Redis' wire format, with hiredis' `redisFormatCommandArgv` doing the formatting.
struct RedisCommandEncoder: MessageToByteEncoder {
    typealias OutboundIn = RedisCommand

    func encode(data: RedisCommand, out: inout ByteBuffer) throws {
        try HiredisCommandFormatter.format(data, into: &out)
    }
}
