import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

@Suite struct RedisConnectionHandlerTests {
    /// A handler on an `EmbeddedChannel` that is connected; the channel sees `RedisCommand`s go out and takes
    /// `RedisReply`s in (no decoder or encoder).
    private static func makeChannel(timeout: TimeAmount = .seconds(5)) throws -> (
        EmbeddedChannel, RedisConnectionHandler
    ) {
        let handler = RedisConnectionHandler(commandTimeout: timeout)
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).wait()
        return (channel, handler)
    }

    private static func send(_ command: RedisCommand, _ handler: RedisConnectionHandler, _ channel: EmbeddedChannel)
        -> EventLoopFuture<RedisReply>
    {
        let promise = channel.eventLoop.makePromise(of: RedisReply.self)
        handler.send(command, promise: promise)
        return promise.futureResult
    }

    private static func error(of future: EventLoopFuture<RedisReply>) -> RedisError? {
        var result: RedisError?
        future.assumeIsolated().whenFailure { result = $0 as? RedisError }
        return result
    }

    @Test func repliesAnswerCommandsInOrder() throws {
        let (channel, handler) = try Self.makeChannel()
        let first = Self.send(RedisCommand("GET", "a"), handler, channel)
        let second = Self.send(RedisCommand("INCR", "b"), handler, channel)
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: RedisCommand.self) == RedisCommand("GET", "a"))
        #expect(try channel.readOutbound(as: RedisCommand.self) == RedisCommand("INCR", "b"))

        try channel.writeInbound(RedisReply.bulkString(ByteBuffer(string: "1")))
        try channel.writeInbound(RedisReply.integer(2))
        #expect(try first.wait() == .bulkString(ByteBuffer(string: "1")))
        #expect(try second.wait() == .integer(2))
        _ = try channel.finish()
    }

    @Test func commandsSentInOnePassLeaveInOneFlush() throws {
        let (channel, handler) = try Self.makeChannel()
        _ = Self.send(RedisCommand("PING"), handler, channel)
        _ = Self.send(RedisCommand("PING"), handler, channel)
        #expect(try channel.readOutbound(as: RedisCommand.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: RedisCommand.self) == RedisCommand("PING"))
        #expect(try channel.readOutbound(as: RedisCommand.self) == RedisCommand("PING"))
        _ = try? channel.finish()
    }

    @Test func errorReplyFailsItsCommandWithRedisMessage() throws {
        let (channel, handler) = try Self.makeChannel()
        let failing = Self.send(RedisCommand("INCR", "text"), handler, channel)
        let next = Self.send(RedisCommand("PING"), handler, channel)
        try channel.writeInbound(RedisReply.error("ERR value is not an integer or out of range"))
        try channel.writeInbound(RedisReply.status("PONG"))
        #expect(Self.error(of: failing) == .server(message: "ERR value is not an integer or out of range"))
        #expect(try next.wait() == .status("PONG"))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func timeoutFailsTheOldestCommandAndClosesTheConnection() throws {
        let (channel, handler) = try Self.makeChannel(timeout: .seconds(2))
        let slow = Self.send(RedisCommand("BLPOP", "queue", 0), handler, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let behind = Self.send(RedisCommand("PING"), handler, channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(channel.isActive)

        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(Self.error(of: slow)?.code == .timeout)
        #expect(Self.error(of: behind)?.code == .connectionClosed)
        #expect(!channel.isActive)
        // A closed connection takes no more commands.
        #expect(Self.error(of: Self.send(RedisCommand("PING"), handler, channel))?.code == .connectionClosed)
    }

    @Test func aRepliedCommandDoesNotTimeOut() throws {
        let (channel, handler) = try Self.makeChannel(timeout: .seconds(2))
        let first = Self.send(RedisCommand("PING"), handler, channel)
        try channel.writeInbound(RedisReply.status("PONG"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let second = Self.send(RedisCommand("PING"), handler, channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1500))
        #expect(try first.wait() == .status("PONG"))
        #expect(channel.isActive)
        try channel.writeInbound(RedisReply.status("PONG"))
        #expect(try second.wait() == .status("PONG"))
        _ = try channel.finish()
    }

    @Test func closingFailsWaitingCommands() throws {
        let (channel, handler) = try Self.makeChannel()
        let waiting = Self.send(RedisCommand("GET", "a"), handler, channel)
        try channel.close().wait()
        #expect(Self.error(of: waiting)?.code == .connectionClosed)
    }

    @Test func protocolErrorFailsWaitingCommandsAndCloses() throws {
        let (channel, handler) = try Self.makeChannel()
        let waiting = Self.send(RedisCommand("GET", "a"), handler, channel)
        channel.pipeline.fireErrorCaught(
            RedisError.protocolError(message: "Protocol error, got \"?\" as reply type byte"))
        #expect(Self.error(of: waiting)?.code == .protocolError)
        #expect(!channel.isActive)
    }

    @Test func aReplyNobodyWaitsForClosesTheConnection() throws {
        let (channel, _) = try Self.makeChannel()
        try channel.writeInbound(RedisReply.status("OK"))
        #expect(!channel.isActive)
    }
}
