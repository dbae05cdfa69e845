import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct ForwardedRequestTests {
    private static let untrusted = ClientSide(
        address: "203.0.113.5",
        peerAddress: "203.0.113.5",
        peerIsTrusted: false,
        serverPort: 8000
    )
    private static let trusted = ClientSide(
        address: "198.51.100.1",
        peerAddress: "10.0.0.1",
        peerIsTrusted: true,
        serverPort: 8443
    )

    private static func forward(
        _ headers: [(String, String)],
        method: HTTPMethod = .GET,
        version: HTTPVersion = .http1_1,
        client: ClientSide = Self.untrusted,
        isUpgrade: Bool = false
    ) -> HTTPRequestHead {
        let request = HTTPRequestHead(
            version: version,
            method: method,
            uri: "/api/orders/7?x=1",
            headers: HTTPHeaders(headers)
        )
        return ForwardedRequest.makeHead(
            from: request,
            uri: "/v1/7?x=1",
            originalPath: "/api/orders/7",
            client: client,
            isUpgrade: isUpgrade
        )
    }

    @Test func sendsTheForwardedURIInHTTP11WithoutHost() {
        let head = Self.forward([("Host", "api.example.com")], method: .DELETE, version: .http1_0)
        #expect(head.version == .http1_1)
        #expect(head.method == .DELETE)
        #expect(head.uri == "/v1/7?x=1")
        #expect(!head.headers.contains(name: "host"))
    }

    @Test func anUntrustedPeersForwardingClaimsAreReplaced() {
        let head = Self.forward([
            ("Host", "api.example.com:8443"), ("X-Forwarded-For", "10.1.2.3"), ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Port", "1"), ("X-Forwarded-Path", "/evil"),
            ("X-Real-IP", "10.9.9.9"),
        ])
        #expect(head.headers["x-forwarded-for"] == ["10.1.2.3, 203.0.113.5"])
        #expect(head.headers["x-real-ip"] == ["203.0.113.5"])
        #expect(head.headers["x-forwarded-proto"] == ["http"])
        #expect(head.headers["x-forwarded-host"] == ["api.example.com"])
        #expect(head.headers["x-forwarded-port"] == ["8000"])
        #expect(head.headers["x-forwarded-path"] == ["/api/orders/7"])
        #expect(head.headers["via"] == ["1.1 acme-gateway"])
    }

    @Test func aTrustedPeersForwardingClaimsAreKept() {
        let head = Self.forward(
            [
                ("Host", "internal:8000"), ("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", "api.example.com"), ("X-Forwarded-Port", "443"),
                ("X-Forwarded-Path", "/public/orders/7"), ("X-Real-IP", "10.9.9.9"),
            ],
            client: Self.trusted
        )
        #expect(head.headers["x-forwarded-for"] == ["198.51.100.1, 10.0.0.1"])
        #expect(head.headers["x-real-ip"] == ["198.51.100.1"])
        #expect(head.headers["x-forwarded-proto"] == ["https"])
        #expect(head.headers["x-forwarded-host"] == ["api.example.com"])
        #expect(head.headers["x-forwarded-port"] == ["443"])
        #expect(head.headers["x-forwarded-path"] == ["/public/orders/7"])
    }

    @Test func aTrustedPeerWithoutClaimsGetsTheGatewaysOwn() {
        let head = Self.forward([("Host", "internal:8000")], client: Self.trusted)
        #expect(head.headers["x-forwarded-for"] == ["10.0.0.1"])
        #expect(head.headers["x-real-ip"] == ["198.51.100.1"])
        #expect(head.headers["x-forwarded-proto"] == ["http"])
        #expect(head.headers["x-forwarded-host"] == ["internal"])
        #expect(head.headers["x-forwarded-port"] == ["8443"])
        #expect(head.headers["x-forwarded-path"] == ["/api/orders/7"])
    }

    @Test func joinsSeveralForwardedForHeadersIntoOne() {
        let head = Self.forward([("X-Forwarded-For", "192.0.2.1, 192.0.2.2"), ("x-forwarded-for", "192.0.2.3")])
        #expect(head.headers["x-forwarded-for"] == ["192.0.2.1, 192.0.2.2, 192.0.2.3, 203.0.113.5"])
    }

    @Test func withoutHostThereIsNoForwardedHost() {
        let head = Self.forward([("X-Forwarded-Host", "evil.example")], version: .http1_0)
        #expect(!head.headers.contains(name: "x-forwarded-host"))
    }

    @Test func forwardedHostOfAnIPv6Literal() {
        let head = Self.forward([("Host", "[::1]:8000")])
        #expect(head.headers["x-forwarded-host"] == ["[::1]"])
    }

    @Test func appendsToTheClientsVia() {
        let head = Self.forward([("Via", "1.0 corporate-proxy")])
        #expect(head.headers["via"] == ["1.0 corporate-proxy, 1.1 acme-gateway"])
    }

    @Test func removesHopByHopHeadersAndExpect() {
        let head = Self.forward(
            [
                ("Host", "a.test"), ("Connection", "keep-alive, X-Hop"), ("Keep-Alive", "timeout=5"), ("X-Hop", "1"),
                ("TE", "trailers"), ("Proxy-Authorization", "Basic x"), ("Expect", "100-continue"),
                ("Content-Length", "5"), ("Content-Type", "text/plain"),
            ],
            method: .POST
        )
        for name in ["connection", "keep-alive", "x-hop", "te", "proxy-authorization", "expect", "transfer-encoding"] {
            #expect(!head.headers.contains(name: name), "\(name)")
        }
        #expect(head.headers["content-length"] == ["5"])
        #expect(head.headers["content-type"] == ["text/plain"])
    }

    @Test(arguments: ["chunked", "Chunked", "gzip, chunked"])
    func keepsChunkedFraming(transferEncoding: String) {
        let head = Self.forward(
            [("Transfer-Encoding", transferEncoding), ("Connection", "transfer-encoding")],
            method: .POST
        )
        #expect(head.headers["transfer-encoding"] == ["chunked"])
    }

    @Test func keepsContentLengthThatConnectionNames() {
        // Dropping it would leave the body unframed: the upstream would read it as the next request.
        let head = Self.forward([("Connection", "content-length"), ("Content-Length", "39")], method: .GET)
        #expect(head.headers["content-length"] == ["39"])
    }

    @Test func anUpgradeKeepsUpgradeAndConnection() {
        let head = Self.forward(
            [("Host", "a.test"), ("Connection", "Upgrade, X-Hop"), ("Upgrade", "websocket"), ("X-Hop", "1")],
            isUpgrade: true
        )
        #expect(head.headers["upgrade"] == ["websocket"])
        #expect(head.headers["connection"] == ["upgrade"])
        #expect(!head.headers.contains(name: "x-hop"))
    }

    @Test func settingHostReplacesIt() {
        let head = Self.forward([("Host", "a.test")])
        let first = ForwardedRequest.settingHost("127.0.0.1:8101", on: head)
        #expect(first.headers["host"] == ["127.0.0.1:8101"])
        let second = ForwardedRequest.settingHost("127.0.0.1:8102", on: first)
        #expect(second.headers["host"] == ["127.0.0.1:8102"])
        #expect(second.uri == head.uri)
    }

    @Test(arguments: [
        ("example.com", "example.com"),
        ("example.com:8000", "example.com"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("[::1]:80", "[::1]"),
        ("[::1]", "[::1]"),
        ("[::1", "[::1"),
        ("", ""),
    ])
    func hostnameDropsThePort(value: String, expected: String) {
        #expect(HostHeader.hostname(of: value[...]) == expected[...])
    }
}
