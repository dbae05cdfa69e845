import NIOCore
import NIOPosix
import Testing

@testable import Redis

/// Against the Redis that `make test` starts (`REDIS_URL`).
@Suite(.enabled(if: TestEnvironment.sharedRedisTestsRun, TestEnvironment.sharedRedisMissing))
struct RedisClientTests {
    private static func configuration() throws -> RedisConfiguration {
        try RedisConfiguration(url: TestEnvironment.requireRedisURL())
    }

    @Test func statusIntegerBulkAndNullReplies() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let key = uniqueKey("types")
            #expect(try await client.send("PING") == .status("PONG"))
            #expect(try await client.send("SET", RedisArgument(key), "hello", "EX", 60) == .status("OK"))
            #expect(try await client.send("GET", RedisArgument(key)) == .bulkString(ByteBuffer(string: "hello")))
            #expect(try await client.send("GET", RedisArgument(key)).string == "hello")
            #expect(try await client.send("STRLEN", RedisArgument(key)) == .integer(5))
            #expect(try await client.send("GET", RedisArgument(key + ":missing")) == .null)
            #expect(try await client.send("SET", RedisArgument(key + ":empty"), "", "EX", 60) == .status("OK"))
            #expect(try await client.send("GET", RedisArgument(key + ":empty")) == .bulkString(ByteBuffer()))
            #expect(try await client.send("INCRBY", RedisArgument(key + ":n"), -7).int == -7)
            #expect(
                try await client.send(
                    "DEL", RedisArgument(key), RedisArgument(key + ":empty"), RedisArgument(key + ":n")) == .integer(3))
        }
    }

    @Test func errorReplyThrowsRedisMessage() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let key = uniqueKey("wrongtype")
            try await client.send("RPUSH", RedisArgument(key), "a")
            let error = await #expect(throws: RedisError.self) { try await client.send("INCR", RedisArgument(key)) }
            #expect(error?.code == .server)
            #expect(error?.prefix == "WRONGTYPE")
            #expect(
                error?.message.hasPrefix("WRONGTYPE Operation against a key holding the wrong kind of value") == true)
            let unknown = await #expect(throws: RedisError.self) { try await client.send("NOSUCHCOMMAND") }
            #expect(unknown?.prefix == "ERR")
            // The connection still works after error replies.
            #expect(try await client.send("DEL", RedisArgument(key)) == .integer(1))
        }
    }

    @Test func nestedArraysAndNestedErrors() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let script = RedisScript(
                "return {1, 'two', {3, {'four', false}}, redis.error_reply('ERR nested'), redis.status_reply('FINE')}"
            )
            let reply = try await client.run(script)
            #expect(
                reply
                    == .array([
                        .integer(1), .bulkString(ByteBuffer(string: "two")),
                        .array([.integer(3), .array([.bulkString(ByteBuffer(string: "four")), .null])]),
                        .error("ERR nested"), .status("FINE"),
                    ])
            )
            let key = uniqueKey("list")
            try await client.send("RPUSH", RedisArgument(key), "a", "b", "c")
            #expect(
                try await client.send("LRANGE", RedisArgument(key), 0, -1).elements?.compactMap(\.string) == [
                    "a", "b", "c",
                ])
            #expect(try await client.send("LRANGE", RedisArgument(key + ":missing"), 0, -1) == .array([]))
            try await client.send("DEL", RedisArgument(key))
        }
    }

    @Test func binarySafeKeysAndValues() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let everyByte = (0...255).map { UInt8($0) }
            let key = Array(uniqueKey("binary").utf8) + [0, 13, 10, 255, 0]
            try await client.send("SET", RedisArgument(key), RedisArgument(everyByte), "EX", 60)
            #expect(try await client.send("GET", RedisArgument(key)).bytes == everyByte)
            #expect(try await client.send("STRLEN", RedisArgument(key)) == .integer(256))
            // The same key from a ByteBuffer is the same key; without its trailing \0 it is another.
            #expect(try await client.send("EXISTS", RedisArgument(ByteBuffer(bytes: key))) == .integer(1))
            #expect(try await client.send("EXISTS", RedisArgument(key.dropLast())) == .integer(0))
            try await client.send("DEL", RedisArgument(key))
        }
    }

    /// 10,000 INCRs sent from one event loop without waiting for any reply, on one connection: the replies must
    /// be 1 to 10,000, each matched to its command.
    @Test func tenThousandPipelinedCommandsAnswerInOrder() async throws {
        var configuration = try Self.configuration()
        configuration.connectionsPerEventLoop = 1
        configuration.commandTimeout = .seconds(30)
        try await withClient(configuration) { client async throws in
            let key = uniqueKey("pipelined")
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let replies = try await withHangGuard(seconds: 60, "10,000 pipelined INCRs") {
                try await eventLoop.flatSubmit {
                    let futures = (0..<10_000).map { _ in
                        client.send(RedisCommand("INCR", RedisArgument(key)), on: eventLoop)
                    }
                    return EventLoopFuture.whenAllSucceed(futures, on: eventLoop)
                }.get()
            }
            #expect(replies.count == 10_000)
            #expect(replies.map(\.int) == (1...10_000).map { $0 })
            try await client.send("DEL", RedisArgument(key))
        }
    }

    /// 10,000 ECHOs from many tasks at once, spread over every loop's connections: each gets its own answer.
    @Test func tenThousandConcurrentCommandsEachGetTheirOwnReply() async throws {
        var configuration = try Self.configuration()
        configuration.commandTimeout = .seconds(30)
        try await withClient(configuration) { client async throws in
            try await withHangGuard(seconds: 60, "10,000 concurrent ECHOs") {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<10_000 {
                        group.addTask {
                            try await client.send("ECHO", RedisArgument("value-\(index)")).string == "value-\(index)"
                        }
                    }
                    var matched = 0
                    for try await ok in group where ok { matched += 1 }
                    #expect(matched == 10_000)
                }
            }
        }
    }

    @Test func futureAPICompletesOnTheCallersLoop() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let onLoop = try await eventLoop.flatSubmit {
                client.send(RedisCommand("PING"), on: eventLoop).map { reply in
                    reply == .status("PONG") && eventLoop.inEventLoop
                }
            }.get()
            #expect(onLoop)
            // A loop of another group is served by the client's group, and the future still completes on it.
            let other = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let foreign = other.next()
            let onForeignLoop = try await client.send(RedisCommand("PING"), on: foreign).map { _ in foreign.inEventLoop
            }.get()
            #expect(onForeignLoop)
            try await other.shutdownGracefully()
        }
    }

    @Test func databaseFromTheURLIsSelected() async throws {
        let base = try Self.configuration()
        var three = base
        three.database = 3
        let key = uniqueKey("select")
        try await withClient(three) { client async throws in
            try await client.send("SET", RedisArgument(key), "in-three", "EX", 60)
            #expect(try await client.send("GET", RedisArgument(key)).string == "in-three")
            #expect(try await client.send("CLIENT", "INFO").string?.contains(" db=3 ") == true)
        }
        try await withClient(base) { client async throws in
            #expect(try await client.send("EXISTS", RedisArgument(key)) == .integer(0))
        }
        // The same, through a URL's path.
        guard case .tcp(let host, let port) = base.endpoint else { return }
        try await withClient(RedisConfiguration(url: "redis://\(host):\(port)/3")) { client async throws in
            #expect(try await client.send("GET", RedisArgument(key)).string == "in-three")
            try await client.send("DEL", RedisArgument(key))
        }
    }

    @Test func databaseRedisRefusesIsATypedError() async throws {
        var configuration = try Self.configuration()
        configuration.database = 100_000
        try await withClient(configuration) { client async throws in
            let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
            #expect(error?.code == .databaseSelectionFailed)
            #expect(error?.message.contains("DB index is out of range") == true, "\(error?.message ?? "")")
        }
    }

    @Test func scriptRunsByDigestAndFallsBackAfterScriptFlush() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            let key = uniqueKey("script")
            try await client.send("SCRIPT", "FLUSH")
            #expect(try await client.send("SCRIPT", "EXISTS", RedisArgument(script.sha1)) == .array([.integer(0)]))
            // EVALSHA answers NOSCRIPT; the client falls back to EVAL, which also caches the script.
            #expect(try await client.run(script, keys: [RedisArgument(key)], arguments: [5]) == .integer(5))
            #expect(try await client.send("SCRIPT", "EXISTS", RedisArgument(script.sha1)) == .array([.integer(1)]))
            #expect(try await client.run(script, keys: [RedisArgument(key)], arguments: [2]) == .integer(7))
            // Our digest is Redis' digest.
            #expect(try await client.send("SCRIPT", "LOAD", RedisArgument(script.source)).string == script.sha1)
            try await client.send("DEL", RedisArgument(key))
        }
    }

    @Test func scriptErrorIsAServerError() async throws {
        try await withClient(Self.configuration()) { client async throws in
            let error = await #expect(throws: RedisError.self) {
                try await client.run(RedisScript("return redis.error_reply('ERR custom failure')"))
            }
            #expect(error?.code == .server)
            #expect(error?.message.hasPrefix("ERR custom failure") == true, "\(error?.message ?? "")")
        }
    }

    /// `BLPOP` blocks longer than the command timeout: the command fails with a timeout, its connection is closed,
    /// and the next command runs on a new one.
    @Test func blockingCommandTimesOutAndTheClientRecovers() async throws {
        var configuration = try Self.configuration()
        configuration.connectionsPerEventLoop = 1
        configuration.commandTimeout = .milliseconds(300)
        try await withClient(configuration) { client async throws in
            let key = uniqueKey("blpop")
            let error = await #expect(throws: RedisError.self) {
                try await withHangGuard(seconds: 20, "BLPOP with a 300 ms command timeout") {
                    try await client.send("BLPOP", RedisArgument(key), 10)
                }
            }
            #expect(error?.code == .timeout)
            #expect(try await client.send("PING") == .status("PONG"))
        }
    }

    /// Hiredis 0.14 parses arrays at most 7 deep: a deeper reply fails as a protocol error and the connection is
    /// replaced.
    @Test func replyNestedDeeperThanHiredisParsesIsAProtocolError() async throws {
        var configuration = try Self.configuration()
        configuration.connectionsPerEventLoop = 1
        try await withClient(configuration) { client async throws in
            let error = await #expect(throws: RedisError.self) {
                try await client.run(RedisScript("return {{{{{{{{{1}}}}}}}}}"))
            }
            #expect(error?.code == .protocolError)
            #expect(try await client.send("PING") == .status("PONG"))
        }
    }

    @Test func commandsAfterCloseFailWithClientClosed() async throws {
        let client = RedisClient(
            configuration: try Self.configuration(),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: TestEnvironment.logger
        )
        #expect(try await client.send("PING") == .status("PONG"))
        await client.close()
        let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
        #expect(error?.code == .clientClosed)
    }
}
