import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Bodies go through whole, in both directions, however they are framed.
@Suite struct ProxyBodyTests {
    static let eightMiB = 8 * 1024 * 1024

    static func parts(total: Int, size: Int = 64 * 1024) -> [ByteBuffer] {
        stride(from: 0, to: total, by: size).map { TestBytes.buffer(offset: $0, count: min(size, total - $0)) }
    }

    @Test func uploadsEightMiBIntact() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(
                    .POST,
                    "/echo/upload",
                    headers: [("content-length", String(Self.eightMiB)), ("content-type", "application/octet-stream")],
                    body: Self.parts(total: Self.eightMiB)
                )
                #expect(response.status == .ok)
                let echo = try response.echo()
                #expect(echo.bodyBytes == Self.eightMiB)
                #expect(echo.bodyHash == TestBytes.hash(count: Self.eightMiB))
                #expect(echo.values("content-length") == [String(Self.eightMiB)])
            }
        }
    }

    @Test func downloadsEightMiBIntact() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/echo/download/\(Self.eightMiB)")
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == Self.eightMiB)
                #expect(response.bodyHash == TestBytes.hash(count: Self.eightMiB))
            }
        }
    }

    @Test func streamsAChunkedUpload() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let total = 1024 * 1024 + 17
                let response = try await gateway.request(
                    .PUT,
                    "/echo/chunked-upload",
                    headers: [("transfer-encoding", "chunked")],
                    body: Self.parts(total: total, size: 10_000)
                )
                #expect(response.status == .ok)
                let echo = try response.echo()
                #expect(echo.method == "PUT")
                #expect(echo.bodyBytes == total)
                #expect(echo.bodyHash == TestBytes.hash(count: total))
            }
        }
    }

    @Test func forwardsRawChunkedRequestWithExtensions() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let received = try await gateway.raw(
                    "POST /echo/raw HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                #expect(responses[0].status == 200)
                let echo = try JSONDecoderHelper.echo(responses[0].body)
                var hash = FNV1a64()
                hash.update(Array("hello world".utf8))
                #expect(echo.bodyBytes == 11)
                #expect(echo.bodyHash == hash.hex)
            }
        }
    }

    @Test func forwardsAChunkedResponse() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let response = try await gateway.request(.GET, "/echo/chunked")
                #expect(response.status == .ok)
                #expect(response.bodyText == "alphabetagamma")

                let received = try await gateway.raw(
                    "GET /echo/chunked HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n"
                )
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                try #require(responses.count == 1, "got: \(received.text)")
                #expect(responses[0].bodyText == "alphabetagamma")
                #expect(received.closed)
            }
        }
    }

    /// A client that reads nothing holds the upstream back: the gateway stops reading the upstream while the client
    /// cannot take more, instead of buffering the body.
    @Test func slowClientHoldsTheUpstreamBack() async throws {
        let total = 256 * 1024 * 1024
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient(reading: false)
                try await client.send("GET /echo/download/\(total) HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
                // Wait until the upstream stops making progress (socket buffers full), or has sent everything.
                var streamed = -1
                var checks = 0
                while streamed != upstream.bytesStreamed, upstream.bytesStreamed < total, checks < 50 {
                    streamed = upstream.bytesStreamed
                    checks += 1
                    try await Task.sleep(for: .milliseconds(300))
                }
                #expect(upstream.bytesStreamed < 64 * 1024 * 1024, "the gateway took \(upstream.bytesStreamed) bytes")
                await client.close()
            }
        }
    }

    /// An upstream connection whose reads were paused for a slow client is reading again when it goes back to
    /// the pool: the next request on it gets its answer.
    @Test func connectionPausedForASlowClientServesTheNextRequest() async throws {
        let total = 8 * 1024 * 1024
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let slow = try await gateway.rawClient(reading: false)
                try await slow.send("GET /echo/download/\(total) HTTP/1.1\r\nHost: gateway.test\r\n\r\n")
                var streamed = -1
                while streamed != upstream.bytesStreamed, upstream.bytesStreamed < total {
                    streamed = upstream.bytesStreamed
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await slow.startReading()
                let download = try await slow.read(timeout: .seconds(10)) { $0.count >= total }
                #expect(download.bytes.count >= total)
                await slow.close()

                let next = try await gateway.rawClient()
                try await next.send("GET /echo/after HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n")
                let answer = try await next.readUntilClose(timeout: .seconds(5))
                #expect(answer.text.hasPrefix("HTTP/1.1 200"), "got: \(answer.text.prefix(200))")
            }
        }
    }

    /// An upstream that reads nothing holds the client back: the gateway stops reading the client while the
    /// upstream cannot take more, instead of buffering the body.
    @Test func slowUpstreamHoldsTheClientBack() async throws {
        let total = 256 * 1024 * 1024
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let client = try await gateway.rawClient()
                let sent = NIOLockedValueBox(0)
                let sender = Task {
                    try await client.send("POST /echo/no-read HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: \(total)\r\n\r\n")
                    for _ in 0..<(total / chunk.count) {
                        try await client.send(chunk)
                        sent.withLockedValue { $0 += chunk.count }
                    }
                }
                // Wait until the client stops making progress (socket buffers full), or has sent everything.
                var previous = -1
                var checks = 0
                while previous != sent.withLockedValue({ $0 }), sent.withLockedValue({ $0 }) < total, checks < 50 {
                    previous = sent.withLockedValue { $0 }
                    checks += 1
                    try await Task.sleep(for: .milliseconds(300))
                }
                let accepted = sent.withLockedValue { $0 }
                #expect(accepted < 64 * 1024 * 1024, "the gateway took \(accepted) bytes")
                await client.close()
                _ = await sender.result
            }
        }
    }
}
