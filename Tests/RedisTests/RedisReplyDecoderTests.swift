import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

@Suite struct RedisReplyDecoderTests {
    /// Every reply that `bytes` holds, fed through a decoding pipeline `chunkSize` bytes at a time.
    private static func decode(_ bytes: [UInt8], chunkSize: Int = .max) throws -> [RedisReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RedisReplyDecoder()))
        defer { _ = try? channel.finish() }
        var replies: [RedisReply] = []
        var start = 0
        repeat {
            let end = min(bytes.count, start + max(chunkSize, 1))
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<end]))
            while let reply = try channel.readInbound(as: RedisReply.self) { replies.append(reply) }
            start = end
        } while start < bytes.count
        return replies
    }

    private static func decode(_ text: String, chunkSize: Int = .max) throws -> [RedisReply] {
        try Self.decode(Array(text.utf8), chunkSize: chunkSize)
    }

    @Test func everyReplyType() throws {
        let replies = try Self.decode("+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n")
        #expect(
            replies == [
                .status("OK"), .error("ERR wrong"), .integer(-42), .bulkString(ByteBuffer(string: "hello")),
                .bulkString(ByteBuffer()), .null, .null, .array([]),
            ]
        )
    }

    @Test func nestedArrays() throws {
        let replies = try Self.decode("*3\r\n:1\r\n*2\r\n$1\r\na\r\n*1\r\n-ERR inner\r\n$-1\r\n")
        let inner = RedisReply.array([.bulkString(ByteBuffer(string: "a")), .array([.error("ERR inner")])])
        #expect(replies == [.array([.integer(1), inner, .null])])
    }

    @Test func binaryBulkStringKeepsEveryByte() throws {
        let value = (0...255).map { UInt8($0) }
        let replies = try Self.decode(Array("$256\r\n".utf8) + value + Array("\r\n".utf8))
        #expect(replies.first?.bytes == value)
    }

    @Test func repliesSplitAtEveryByteStillDecode() throws {
        let replies = try Self.decode("*2\r\n$3\r\nfoo\r\n:7\r\n+PONG\r\n", chunkSize: 1)
        #expect(replies == [.array([.bulkString(ByteBuffer(string: "foo")), .integer(7)]), .status("PONG")])
    }

    /// Pipelined replies arrive together: one read must pass every one of them on.
    @Test func manyRepliesInOneReadAreAllPassedOn() throws {
        let replies = try Self.decode(String(repeating: ":1\r\n", count: 1000) + "+OK\r\n")
        #expect(replies.count == 1001)
        #expect(replies.last == .status("OK"))
    }

    @Test func notAReplyIsAProtocolError() {
        let error = #expect(throws: RedisError.self) { try Self.decode("?what\r\n") }
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains("Protocol error") == true, "\(error?.message ?? "")")
    }

    /// A hiredis 0.14 limit: arrays nest at most 8 deep (`redisReader` has a fixed stack of 9 read tasks; its
    /// message says "depth > 7", counting from 0). Deeper replies are protocol errors, which close the connection.
    @Test func arraysNestedDeeperThanHiredisAllowsAreAProtocolError() throws {
        let eightDeep = String(repeating: "*1\r\n", count: 8) + ":1\r\n"
        #expect(try Self.decode(eightDeep).count == 1)
        let error = #expect(throws: RedisError.self) {
            try Self.decode(String(repeating: "*1\r\n", count: 9) + ":1\r\n")
        }
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains("nested") == true, "\(error?.message ?? "")")
    }
}
