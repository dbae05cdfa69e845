import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct ForwardedResponseTests {
    private static let receivedAt = NIODeadline.uptimeNanoseconds(5_000_000_000)

    private static func exchange(
        version: HTTPVersion = .http1_1,
        method: HTTPMethod = .GET,
        sentAfter: Int64? = nil,
        answeredAfter: Int64? = nil
    ) -> ProxyExchange {
        let route = Route.fixture("r", paths: ["/"])
        let service = TestConfig.service("test", targets: [Target(host: "127.0.0.1", port: 1)], routes: [route])
        let request = HTTPRequestHead(version: version, method: method, uri: "/", headers: ["host": "a.test"])
        let exchange = ProxyExchange(
            request: request,
            route: route,
            service: service,
            generation: 0,
            client: ClientSide(address: "127.0.0.1", peerAddress: "127.0.0.1", peerIsTrusted: false, serverPort: 8000),
            originalPath: "/",
            forwardedPath: "/",
            path: "/",
            isUpgrade: false,
            receivedAt: Self.receivedAt
        )
        exchange.upstreamSentAt = sentAfter.map { Self.receivedAt + .milliseconds($0) }
        exchange.upstreamAnsweredAt = answeredAfter.map { Self.receivedAt + .milliseconds($0) }
        return exchange
    }

    @Test func removesHopByHopHeadersAndAddsVia() {
        let upstream = HTTPResponseHead(
            version: .http1_1,
            status: .created,
            headers: [
                "Connection": "keep-alive, X-Hop", "Keep-Alive": "timeout=5", "X-Hop": "1",
                "Transfer-Encoding": "chunked", "Trailer": "X-Sum", "Content-Type": "application/json",
                "Via": "1.1 upstream-proxy",
            ]
        )
        let head = ForwardedResponse.makeHead(from: upstream, exchange: Self.exchange(), closing: false)
        #expect(head.status == .created)
        #expect(head.headers.map(\.name) == ["Content-Type", "via"])
        #expect(head.headers["via"] == ["1.1 upstream-proxy, 1.1 acme-gateway"])
    }

    @Test func addsLatencyHeaders() {
        let upstream = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "0"])
        let exchange = Self.exchange(sentAfter: 3, answeredAfter: 45)
        let head = ForwardedResponse.makeHead(from: upstream, exchange: exchange, closing: false)
        #expect(head.headers["x-gateway-upstream-latency"] == ["42"])
        #expect(head.headers["x-gateway-proxy-latency"] == ["3"])
    }

    @Test func noLatencyHeadersBeforeTheUpstreamAnswered() {
        let upstream = HTTPResponseHead(version: .http1_1, status: .ok)
        let head = ForwardedResponse.makeHead(from: upstream, exchange: Self.exchange(sentAfter: 3), closing: false)
        #expect(!head.headers.contains(name: "x-gateway-upstream-latency"))
        #expect(!head.headers.contains(name: "x-gateway-proxy-latency"))
    }

    @Test(arguments: [
        // client version, closing, the Connection header sent to the client
        (HTTPVersion.http1_1, false, nil),
        (HTTPVersion.http1_1, true, "close"),
        (HTTPVersion.http1_0, false, "keep-alive"),
        (HTTPVersion.http1_0, true, "close"),
    ] as [(HTTPVersion, Bool, String?)])
    func answersInTheClientsVersionAndSaysWhetherTheConnectionStays(
        version: HTTPVersion,
        closing: Bool,
        connection: String?
    ) {
        // The upstream's own Connection header says nothing about the client's connection.
        let upstream = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Connection": "close"])
        let exchange = Self.exchange(version: version)
        let head = ForwardedResponse.makeHead(from: upstream, exchange: exchange, closing: closing)
        #expect(head.version == version)
        #expect(head.headers["connection"] == (connection.map { [$0] } ?? []))
    }

    @Test(arguments: [
        // client version, method, status, upstream Content-Length, whether only a close can end the body
        (HTTPVersion.http1_0, HTTPMethod.GET, HTTPResponseStatus.ok, nil, true),
        (HTTPVersion.http1_0, HTTPMethod.GET, HTTPResponseStatus.ok, "12", false),
        (HTTPVersion.http1_0, HTTPMethod.HEAD, HTTPResponseStatus.ok, nil, false),
        (HTTPVersion.http1_0, HTTPMethod.GET, HTTPResponseStatus.noContent, nil, false),
        (HTTPVersion.http1_0, HTTPMethod.GET, HTTPResponseStatus.notModified, nil, false),
        (HTTPVersion.http1_1, HTTPMethod.GET, HTTPResponseStatus.ok, nil, false),
    ] as [(HTTPVersion, HTTPMethod, HTTPResponseStatus, String?, Bool)])
    func needsCloseDelimitingOnlyForAnHTTP10BodyOfUnknownLength(
        version: HTTPVersion,
        method: HTTPMethod,
        status: HTTPResponseStatus,
        contentLength: String?,
        expected: Bool
    ) {
        var upstream = HTTPResponseHead(version: .http1_1, status: status)
        if let contentLength { upstream.headers.add(name: "content-length", value: contentLength) }
        let exchange = Self.exchange(version: version, method: method)
        #expect(ForwardedResponse.needsCloseDelimiting(upstream, exchange: exchange) == expected)
    }
}
