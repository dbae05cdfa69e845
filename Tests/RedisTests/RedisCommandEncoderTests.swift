import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

@Suite struct RedisCommandEncoderTests {
    private static func encode(_ command: RedisCommand) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try RedisCommandEncoder().encode(data: command, out: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test func commandIsAnArrayOfBulkStrings() throws {
        let bytes = try Self.encode(RedisCommand("SET", "key", "value", "EX", 60))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "*5\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n$2\r\nEX\r\n$2\r\n60\r\n")
    }

    @Test func binaryAndEmptyArgumentsAreSentAsTheyAre() throws {
        let binary: [UInt8] = [0, 13, 10, 255]
        let bytes = try Self.encode(RedisCommand("SET", RedisArgument(binary), ""))
        #expect(bytes == Array("*3\r\n$3\r\nSET\r\n$4\r\n".utf8) + binary + Array("\r\n$0\r\n\r\n".utf8))
    }

    @Test func argumentsFromStringsBytesBuffersAndIntegersAgree() throws {
        let fromString = try Self.encode(RedisCommand("ECHO", RedisArgument("héllo")))
        #expect(try Self.encode(RedisCommand("ECHO", RedisArgument(Array("héllo".utf8)))) == fromString)
        #expect(try Self.encode(RedisCommand("ECHO", RedisArgument(ByteBuffer(string: "héllo")))) == fromString)
        #expect(try Self.encode(RedisCommand("ECHO", RedisArgument("héllo".utf8))) == fromString)
        #expect(
            try Self.encode(RedisCommand("INCRBY", "n", RedisArgument(Int64(-3))))
                == Self.encode(RedisCommand("INCRBY", "n", -3)))
    }

    @Test func commandNameIsTheFirstArgument() {
        #expect(RedisCommand("GET", "key").name == "GET")
    }

    @Test func encodesThroughAPipeline() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(RedisCommandEncoder()))
        try channel.writeOutbound(RedisCommand("PING"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "*1\r\n$4\r\nPING\r\n"))
        #expect(try channel.finish().isClean)
    }
}
