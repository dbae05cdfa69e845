import Redis
import Testing

@Suite struct RedisErrorTests {
    @Test func prefixIsTheKindOfARedisError() {
        #expect(RedisError.server(message: "WRONGTYPE Operation against a key").prefix == "WRONGTYPE")
        #expect(
            RedisError.authenticationFailed(message: "WRONGPASS invalid username-password pair").prefix == "WRONGPASS")
        #expect(RedisError.databaseSelectionFailed(message: "ERR DB index is out of range").prefix == "ERR")
        #expect(RedisError.timeout().prefix == nil)
        #expect(RedisError.connectionFailed(message: "cannot connect").prefix == nil)
    }

    @Test func descriptionNamesTheCodeAndMessage() {
        #expect("\(RedisError.server(message: "ERR unknown command"))" == "Redis server: ERR unknown command")
        #expect("\(RedisError.clientClosed)" == "Redis client closed: the Redis client was closed")
    }

    @Test func codesCompareByKind() {
        #expect(RedisError.timeout(message: "a").code == RedisError.timeout(message: "b").code)
        #expect(RedisError.timeout().code != RedisError.connectionClosed().code)
    }
}
