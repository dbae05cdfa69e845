import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct HeaderRewritingTests {
    private static func names(_ headers: HTTPHeaders) -> [String] {
        headers.map(\.name)
    }

    @Test func removesEveryHopByHopHeaderAndKeepsTheRest() {
        var headers = HTTPHeaders([
            ("Host", "a.test"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "keep-alive"), ("Proxy-Authenticate", "Basic"), ("Proxy-Authorization", "Basic x"),
            ("TE", "trailers"), ("Trailer", "X-Sum"), ("Transfer-Encoding", "chunked"), ("Upgrade", "websocket"),
            ("Content-Type", "text/plain"), ("Authorization", "Bearer t"), ("Content-Length", "5"),
        ])
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(Self.names(headers) == ["Host", "Content-Type", "Authorization", "Content-Length"])
    }

    @Test func removesHopByHopHeadersWhateverTheirCase() {
        var headers = HTTPHeaders([
            ("CONNECTION", "close"), ("keep-ALIVE", "1"), ("tE", "trailers"), ("TRANSFER-ENCODING", "chunked"),
            ("X-Keep", "1"),
        ])
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(Self.names(headers) == ["X-Keep"])
    }

    @Test func removesTheHeadersConnectionNames() {
        var headers = HTTPHeaders([
            ("Connection", "X-Hop, x-other-HOP"), ("Connection", "Close, Keep-Alive, X-Third"),
            ("x-hop", "1"), ("X-Other-Hop", "2"), ("X-THIRD", "3"), ("X-Stays", "4"),
        ])
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(Self.names(headers) == ["X-Stays"])
    }

    @Test func neverRemovesContentLengthForConnection() {
        // `Connection: content-length` must not strip the body's framing: the upstream would read the body as the
        // next request (request smuggling).
        var headers = HTTPHeaders([("Connection", "content-length"), ("Content-Length", "39")])
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(headers["content-length"] == ["39"])
        #expect(!headers.contains(name: "connection"))
    }

    @Test func leavesHeadersWithoutHopByHopOnesAlone() {
        let original = HTTPHeaders([("Host", "a.test"), ("Accept", "*/*"), ("X-Connection-Id", "7"), ("Tee", "1")])
        var headers = original
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(headers == original)
    }

    @Test func keepUpgradeKeepsTheHandshake() {
        var headers = HTTPHeaders([
            ("Host", "a.test"), ("Connection", "Upgrade, X-Hop"), ("Upgrade", "websocket"), ("X-Hop", "1"),
            ("Keep-Alive", "1"), ("Sec-WebSocket-Key", "k"),
        ])
        HeaderRewriting.removeHopByHop(from: &headers, keepUpgrade: true)
        #expect(headers["upgrade"] == ["websocket"])
        #expect(headers["connection"] == ["upgrade"])
        #expect(!headers.contains(name: "x-hop"))
        #expect(!headers.contains(name: "keep-alive"))
        #expect(headers["sec-websocket-key"] == ["k"])
        #expect(headers["host"] == ["a.test"])
    }

    @Test func withoutKeepUpgradeTheHandshakeGoes() {
        var headers = HTTPHeaders([("Connection", "upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Key", "k")])
        HeaderRewriting.removeHopByHop(from: &headers)
        #expect(Self.names(headers) == ["Sec-WebSocket-Key"])
    }

    @Test(arguments: [
        ("connection", true), ("Connection", true), ("TRANSFER-ENCODING", true), ("te", true), ("upgrade", true),
        ("proxy-authorization", true), ("tee", false), ("t", false), ("connections", false), ("x-connection", false),
        ("content-length", false), ("", false),
    ])
    func recognisesHopByHopNames(name: String, expected: Bool) {
        #expect(HeaderRewriting.isHopByHop(name) == expected)
    }

    @Test func removesCallerIdentityWhateverTheCase() {
        var headers = HTTPHeaders([
            ("X-Consumer-ID", "1"), ("x-consumer-username", "admin"), ("X-CREDENTIAL-IDENTIFIER", "k"),
            ("X-Authenticated-Scope", "all"), ("x-authenticated-userid", "u"), ("X-Consumer", "stays"),
            ("X-Consumers-Count", "stays"), ("X-Request-ID", "stays"), ("Authorization", "stays"),
        ])
        HeaderRewriting.removeCallerIdentity(from: &headers)
        #expect(Self.names(headers) == ["X-Consumer", "X-Consumers-Count", "X-Request-ID", "Authorization"])
    }

    @Test func appendsTheGatewayToVia() {
        var fresh = HTTPHeaders()
        HeaderRewriting.appendVia(to: &fresh)
        #expect(fresh["via"] == ["1.1 acme-gateway"])

        var existing = HTTPHeaders([("Via", "1.0 corporate-proxy")])
        HeaderRewriting.appendVia(to: &existing)
        #expect(existing["via"] == ["1.0 corporate-proxy, 1.1 acme-gateway"])
    }

    @Test(arguments: [
        ("X-Consumer-ID", "x-consumer-", true), ("x-consumer-", "x-consumer-", true),
        ("X-CONSUMER", "x-consumer-", false),
        ("", "x", false), ("abc", "", true), ("Z", "z", true), ("[", "{", false),
    ])
    func comparesPrefixesASCIICaseInsensitively(text: String, prefix: String, expected: Bool) {
        #expect(text.hasCaseInsensitivePrefix(prefix) == expected)
    }
}
