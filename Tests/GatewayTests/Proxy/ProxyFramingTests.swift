import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Requests whose framing is ambiguous or malformed are answered by the gateway and never reach the upstream.
@Suite struct ProxyFramingTests {
    /// Sends `request` after one good request (so the gateway has an idle upstream connection it could misuse),
    /// and expects `status`, a closed connection, and no request at the upstream.
    private func expectRejected(_ request: String, status: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let warmUp = try await gateway.request(.GET, "/echo/warm-up").status
                #expect(warmUp == .ok, sourceLocation: sourceLocation)
                let seen = upstream.requestsSeen

                let received = try await gateway.raw(request)
                let responses = RawResponse.parseAll(received.bytes, closed: received.closed)
                #expect(responses.map(\.status) == [status], "got: \(received.text)", sourceLocation: sourceLocation)
                #expect(received.closed, sourceLocation: sourceLocation)
                // Give a forwarded request time to arrive before checking that none did.
                try await Task.sleep(for: .milliseconds(200))
                #expect(upstream.requestsSeen == seen, "the request reached the upstream", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func contentLengthWithTransferEncodingIs400() async throws {
        try await self.expectRejected(
            "POST /echo/a HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /echo/smuggled HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
            status: 400
        )
    }

    @Test func twoDifferentContentLengthsAre400() async throws {
        try await self.expectRejected(
            "POST /echo/a HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            status: 400
        )
    }

    @Test func twoEqualContentLengthsAre400() async throws {
        try await self.expectRejected(
            "POST /echo/a HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            status: 400
        )
    }

    @Test func badChunkSizeIs400() async throws {
        try await self.expectRejected(
            "POST /echo/a HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            status: 400
        )
    }

    @Test(arguments: [
        "GET /echo/a HTTP/1.1 junk\r\nHost: gateway.test\r\n\r\n",
        "GET /echo/a HTP/1.1\r\nHost: gateway.test\r\n\r\n",
        "G(T /echo/a HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
        "GET /echo/a\u{01}b HTTP/1.1\r\nHost: gateway.test\r\n\r\n",
    ])
    func malformedRequestLineIs400(_ request: String) async throws {
        try await self.expectRejected(request, status: 400)
    }

    /// Framings that proxies and servers have disagreed about (request smuggling): each must be refused.
    @Test(arguments: [
        "Transfer-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Content-Length: 5, 6\r\n\r\nhello!",
        "Content-Length: +5\r\n\r\nhello",
        "Content-Length: 5\r\n Content-Length: 6\r\n\r\nhello!",
    ])
    func smugglingFramingIs400(_ framing: String) async throws {
        try await self.expectRejected("POST /echo/a HTTP/1.1\r\nHost: gateway.test\r\n" + framing, status: 400)
    }

    @Test func headerBlockOver32KiBIs431() async throws {
        try await self.expectRejected(
            "GET /echo/a HTTP/1.1\r\nHost: gateway.test\r\nX-Big: \(String(repeating: "a", count: 33 * 1024))\r\n\r\n",
            status: 431
        )
        let many = (0..<40).map { "X-Field-\($0): \(String(repeating: "b", count: 1000))\r\n" }.joined()
        try await self.expectRejected("GET /echo/a HTTP/1.1\r\nHost: gateway.test\r\n\(many)\r\n", status: 431)
    }

    @Test func headerBlockUnder32KiBIsForwarded() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port)) { gateway in
                let value = String(repeating: "c", count: 16 * 1024)
                let echo = try await gateway.request(.GET, "/echo/big", headers: [("x-big", value)]).echo()
                #expect(echo.values("x-big") == [value])
            }
        }
    }
}
