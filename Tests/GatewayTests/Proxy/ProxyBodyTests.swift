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
}
