import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

@Suite struct UpstreamConnectionPoolTests {
    /// An upstream connection over an `EmbeddedChannel`, with a read counter between it and the socket.
    private static func makeConnection() throws -> (UpstreamConnection, EmbeddedChannel, ReadCounter) {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let handler = UpstreamConnectionHandler()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 8080)).wait()
        let connection = UpstreamConnection(channel: channel, key: .init(host: "127.0.0.1", port: 8080), handler: handler)
        return (connection, channel, counter)
    }

    /// A connection paused for a slow client (the last body part filled the client's buffers) reads again once
    /// pooled: otherwise the next request on it never sees its response.
    @Test func releasingAPausedConnectionResumesItsReads() throws {
        let (connection, channel, counter) = try Self.makeConnection()
        let pool = UpstreamConnectionPool(eventLoop: channel.eventLoop)
        connection.pauseReading()
        channel.read()
        #expect(counter.reads == 0)

        pool.release(connection, reusable: true)
        #expect(counter.reads == 1)
        channel.read()
        #expect(counter.reads == 2)
        _ = try? channel.finish()
    }

    @Test func releasedConnectionIsReusedForItsTarget() throws {
        let (connection, channel, _) = try Self.makeConnection()
        let pool = UpstreamConnectionPool(eventLoop: channel.eventLoop)
        pool.release(connection, reusable: true)
        var reused: UpstreamConnection?
        pool.acquire(Target(host: "127.0.0.1", port: 8080), connectTimeout: .seconds(1)) { result in
            reused = try? result.get()
        }
        #expect(reused === connection)
        #expect(connection.wasReused)
        _ = try? channel.finish()
    }

    @Test func unreusableConnectionIsClosed() throws {
        let (connection, channel, _) = try Self.makeConnection()
        let pool = UpstreamConnectionPool(eventLoop: channel.eventLoop)
        pool.release(connection, reusable: false)
        #expect(!channel.isActive)
    }
}
