import NIOCore
import NIOPosix
import Testing

@testable import Redis

/// Servers that never answer, and no server at all: commands fail with typed errors and nothing hangs.
@Suite struct RedisConnectionFailureTests {
    /// A TCP listener that accepts connections and never answers.
    private static func silentServer() async throws -> Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0).get()
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let server = try await Self.silentServer()
        let port = server.localAddress!.port!
        let configuration = RedisConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port), commandTimeout: .milliseconds(200))
        try await withClient(configuration) { client async throws in
            for _ in 0..<2 {
                let error = await #expect(throws: RedisError.self) {
                    try await withHangGuard(seconds: 20, "PING to a silent server") { try await client.send("PING") }
                }
                #expect(error?.code == .timeout)
                #expect(error?.message == "no reply within 200 ms")
            }
        }
        try await server.close()
    }

    @Test func handshakeWithAServerThatNeverAnswersTimesOut() async throws {
        let server = try await Self.silentServer()
        let port = server.localAddress!.port!
        let configuration = RedisConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port), password: "secret", commandTimeout: .milliseconds(200)
        )
        try await withClient(configuration) { client async throws in
            let error = await #expect(throws: RedisError.self) {
                try await withHangGuard(seconds: 20, "AUTH to a silent server") { try await client.send("PING") }
            }
            #expect(error?.code == .timeout)
        }
        try await server.close()
    }

    @Test func noServerFailsFastWithConnectionFailed() async throws {
        // Port 1 (tcpmux, privileged): nothing listens there, and no other test's server can take it meanwhile, as
        // one could a port that was merely free when probed.
        let port = 1
        let configuration = RedisConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port),
            reconnectBackoff: RedisReconnectBackoff(initial: .seconds(60), maximum: .seconds(60))
        )
        try await withClient(configuration) { client async throws in
            // The first command waits for the refused attempt; the next ones fail at once during the backoff.
            for _ in 0..<3 {
                let error = await #expect(throws: RedisError.self) {
                    try await withHangGuard(seconds: 20, "PING with no server") { try await client.send("PING") }
                }
                #expect(error?.code == .connectionFailed)
                #expect(
                    error?.message.contains("cannot connect to 127.0.0.1:\(port)") == true, "\(error?.message ?? "")")
            }
        }
    }

    @Test func missingUnixSocketFailsWithConnectionFailed() async throws {
        let configuration = try RedisConfiguration(url: "unix:///nonexistent/redis-tests.sock")
        try await withClient(configuration) { client async throws in
            let error = await #expect(throws: RedisError.self) {
                try await withHangGuard(seconds: 20, "PING on a missing socket") { try await client.send("PING") }
            }
            #expect(error?.code == .connectionFailed)
        }
    }
}
