import NIOCore
import Redis
import Testing

@Suite struct RedisReplyTests {
    @Test func stringReadsStatusAndBulkStrings() {
        #expect(RedisReply.status("OK").string == "OK")
        #expect(RedisReply.bulkString(ByteBuffer(string: "héllo")).string == "héllo")
        #expect(RedisReply.integer(1).string == nil)
        #expect(RedisReply.error("ERR x").string == nil)
        #expect(RedisReply.null.string == nil)
    }

    @Test func bytesReadBulkStringsOnly() {
        #expect(RedisReply.bulkString(ByteBuffer(bytes: [0, 255, 13, 10])).bytes == [0, 255, 13, 10])
        #expect(RedisReply.status("OK").bytes == nil)
    }

    @Test func intReadsIntegersAndDecimalBulkStrings() {
        #expect(RedisReply.integer(-5).int == -5)
        #expect(RedisReply.bulkString(ByteBuffer(string: "42")).int == 42)
        #expect(RedisReply.bulkString(ByteBuffer(string: "4.2")).int == nil)
        #expect(RedisReply.status("42").int == nil)
    }

    @Test func elementsAndNull() {
        #expect(RedisReply.array([.integer(1), .null]).elements == [.integer(1), .null])
        #expect(RedisReply.array([]).elements == [])
        #expect(RedisReply.null.elements == nil)
        #expect(RedisReply.null.isNull)
        #expect(!RedisReply.array([]).isNull)
        #expect(!RedisReply.bulkString(ByteBuffer()).isNull)
    }
}
