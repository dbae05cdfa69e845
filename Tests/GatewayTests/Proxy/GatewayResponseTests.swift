import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct GatewayResponseTests {
    @Test(arguments: [
        (GatewayResponse.noRoute, 404, #"{"message":"no Route matched with those values"}"#),
        (GatewayResponse.badRequest, 400, #"{"message":"Bad request"}"#),
        (GatewayResponse.headersTooLarge, 431, #"{"message":"Request header or cookie too large"}"#),
        (GatewayResponse.badGateway, 502, #"{"message":"An invalid response was received from the upstream server"}"#),
        (GatewayResponse.noPeer, 503, #"{"message":"failure to get a peer from the ring-balancer"}"#),
        (GatewayResponse.gatewayTimeout, 504, #"{"message":"The upstream server is timing out"}"#),
    ])
    func answersWithKongsStatusAndMessage(response: GatewayResponse, status: Int, body: String) {
        #expect(response.status.code == UInt(status))
        #expect(String(buffer: response.body(allocator: ByteBufferAllocator())) == body)
    }

    @Test(arguments: [
        ("say \"hi\"", #"{"message":"say \"hi\""}"#),
        (#"a\b"#, #"{"message":"a\\b"}"#),
        // Control characters escaped: the body stays valid JSON.
        ("line\nbreak\ttab\u{1}\u{1F}", #"{"message":"line\nbreak\ttab\u0001\u001f"}"#),
        ("café ✓", #"{"message":"café ✓"}"#),
    ])
    func escapesTheMessageAsJSON(message: String, body: String) {
        let response = GatewayResponse(status: .badRequest, message: message)
        #expect(String(buffer: response.body(allocator: ByteBufferAllocator())) == body)
    }

    @Test func headIsJSONWithLengthAndServer() {
        let head = GatewayResponse.noRoute.head(version: .http1_1, bodyLength: 48, keepAlive: true)
        #expect(head.version == .http1_1)
        #expect(head.status == .notFound)
        #expect(head.headers["content-type"] == ["application/json; charset=utf-8"])
        #expect(head.headers["content-length"] == ["48"])
        #expect(head.headers["server"] == ["acme-gateway/\(GatewayVersion.string)"])
        #expect(!head.headers.contains(name: "connection"))
    }

    @Test(arguments: [
        // version, keep-alive, the Connection header
        (HTTPVersion.http1_1, true, nil),
        (HTTPVersion.http1_1, false, "close"),
        (HTTPVersion.http1_0, true, "keep-alive"),
        (HTTPVersion.http1_0, false, "close"),
    ] as [(HTTPVersion, Bool, String?)])
    func headSaysWhetherTheConnectionStays(version: HTTPVersion, keepAlive: Bool, connection: String?) {
        let head = GatewayResponse.badGateway.head(version: version, bodyLength: 10, keepAlive: keepAlive)
        #expect(head.version == version)
        #expect(head.headers["connection"] == (connection.map { [$0] } ?? []))
    }
}
