import NIOCore
import NIOPosix
import Testing

@testable import Redis

/// Against redis-servers the tests start themselves (own port, own directory): passwords, a Unix socket, and a
/// server that goes away and comes back.
@Suite(.enabled(if: TestEnvironment.privateRedisTestsRun, TestEnvironment.redisServerMissing))
struct RedisPrivateServerTests {
    @Test func wrongPasswordIsAnAuthenticationErrorWithRedisMessage() async throws {
        try await withTestRedisServer(extraArguments: ["--requirepass", "right-password"]) { server async throws in
            let wrong = try RedisConfiguration(url: "redis://:wrong-password@127.0.0.1:\(server.port)/0")
            try await withClient(wrong) { client async throws in
                let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
                #expect(error?.code == .authenticationFailed)
                #expect(error?.prefix == "WRONGPASS")
                #expect(error?.message.contains("invalid username-password pair") == true, "\(error?.message ?? "")")
                #expect(error.map { "\($0)".contains("wrong-password") } == false)
            }

            let right = try RedisConfiguration(url: "redis://:right-password@127.0.0.1:\(server.port)/2")
            try await withClient(right) { client async throws in
                #expect(try await client.send("PING") == .status("PONG"))
                try await client.send("SET", "k", "v")
                #expect(try await client.send("CLIENT", "INFO").string?.contains(" db=2 ") == true)
            }

            // No password at all: Redis answers every command NOAUTH, as a server error.
            try await withClient(RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")) { client async throws in
                let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
                #expect(error?.code == .server)
                #expect(error?.prefix == "NOAUTH")
            }
        }
    }

    @Test func aclUserAndPassword() async throws {
        try await withTestRedisServer { server async throws in
            let admin = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
            try await withClient(admin) { client async throws in
                try await client.send("ACL", "SETUSER", "gateway", "on", ">gateway-password", "~*", "+@all")
            }
            let user = try RedisConfiguration(url: "redis://gateway:gateway-password@127.0.0.1:\(server.port)/0")
            try await withClient(user) { client async throws in
                #expect(try await client.send("ACL", "WHOAMI").string == "gateway")
            }
            let wrong = try RedisConfiguration(url: "redis://gateway:nope@127.0.0.1:\(server.port)/0")
            try await withClient(wrong) { client async throws in
                let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
                #expect(error?.code == .authenticationFailed)
                #expect(error?.prefix == "WRONGPASS")
            }
        }
    }

    @Test func unixSocketWithDatabase() async throws {
        try await withTestRedisServer(unixSocket: true) { server async throws in
            let configuration = try RedisConfiguration(url: "unix://\(server.socketPath)?db=5")
            try await withClient(configuration) { client async throws in
                #expect(try await client.send("PING") == .status("PONG"))
                #expect(try await client.send("CLIENT", "INFO").string?.contains(" db=5 ") == true)
            }
        }
    }

    /// Traffic runs; the server stops: commands fail fast with connection errors, none hangs. The server comes
    /// back on the same port: the client reconnects by itself and commands succeed again.
    @Test func serverStoppedMidTrafficAndRestarted() async throws {
        try await withTestRedisServer { server async throws in
            var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)/0")
            configuration.commandTimeout = .seconds(2)
            configuration.connectTimeout = .seconds(2)
            configuration.reconnectBackoff = RedisReconnectBackoff(
                initial: .milliseconds(20), maximum: .milliseconds(200))
            try await withClient(configuration) { client async throws in
                let key = uniqueKey("fault")
                let traffic = TrafficCounter()
                let workers = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 {
                            group.addTask {
                                while !Task.isCancelled {
                                    do {
                                        // Every command is bounded by the command and connect timeouts; the hang
                                        // guard only turns a bug into a failure.
                                        _ = try await withHangGuard(seconds: 20, "INCR during the fault test") {
                                            try await client.send("INCR", RedisArgument(key))
                                        }
                                        traffic.recordSuccess()
                                    } catch let error as RedisError {
                                        traffic.recordFailure(error)
                                        try await Task.sleep(for: .milliseconds(5))
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                defer { workers.cancel() }

                try await traffic.wait(seconds: 20, "traffic before the stop") { $0.successes >= 200 }
                try await server.stop()
                try await traffic.wait(seconds: 20, "failures while the server is down") { $0.failures >= 50 }
                let down = traffic.snapshot()
                #expect(down.unexpectedErrors.isEmpty, "\(down.unexpectedErrors)")

                try await server.start()
                let restartedAt = traffic.snapshot().successes
                try await traffic.wait(seconds: 30, "traffic after the restart") { $0.successes >= restartedAt + 200 }
                workers.cancel()
                _ = try? await withHangGuard(seconds: 30, "the traffic tasks to stop") { try await workers.value }

                // The counter was wiped with the server (no persistence) and counts again.
                #expect(try await client.send("GET", RedisArgument(key)).int ?? 0 > 0)
            }
        }
    }
}
