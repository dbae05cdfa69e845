import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A response read by `HTTPTestClient`.
struct TestResponse: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer

    var status: HTTPResponseStatus { self.head.status }
    var headers: HTTPHeaders { self.head.headers }
    var bodyText: String { String(buffer: self.body) }

    var bodyHash: String {
        var hash = FNV1a64()
        hash.update(self.body)
        return hash.hex
    }

    /// The body decoded as the upstream's echo.
    func echo() throws -> EchoReply {
        try JSONDecoder().decode(EchoReply.self, from: Data(self.body.readableBytesView))
    }
}

/// A request or response did not come in time.
struct TestTimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(self.what)" }
}

/// A keep-alive HTTP/1.1 client on NIO's client pipeline: one connection, requests sent one after the other.
final class HTTPTestClient: Sendable {
    private let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    /// Connects to 127.0.0.1:`port`, over TLS with `tls` (the server's certificate checked for `serverName`).
    static func connect(
        port: Int,
        group: EventLoopGroup,
        tls: NIOSSLContext? = nil,
        serverName: String = "localhost"
    ) async throws -> HTTPTestClient {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
            .get()
        return HTTPTestClient(channel: channel)
    }

    var isActive: Bool { self.channel.isActive }

    /// Sends a request (the body in the given parts, framed by the headers given) and waits for its response.
    func request(
        _ method: HTTPMethod = .GET,
        _ uri: String,
        headers: [(String, String)] = [],
        body: [ByteBuffer] = [],
        timeout: TimeAmount = .seconds(20)
    ) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { head.headers.add(name: "host", value: "gateway.test") }
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit { [head] in
            guard let collector = try? channel.pipeline.syncOperations.handler(type: ResponseCollector.self) else {
                return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
            }
            let response = collector.expectResponse(timeout: timeout, method: method)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            for part in body { channel.write(HTTPClientRequestPart.body(.byteBuffer(part)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return response
        }.get()
    }

    func close() async {
        try? await self.channel.close()
    }
}

/// Hands each response, whole, to the oldest waiting request.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var waiting: [(promise: EventLoopPromise<TestResponse>, timeout: Scheduled<Void>)] = []
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func expectResponse(timeout: TimeAmount, method: HTTPMethod) -> EventLoopFuture<TestResponse> {
        let eventLoop = self.context!.eventLoop
        let promise = eventLoop.makePromise(of: TestResponse.self)
        let task = eventLoop.scheduleTask(in: timeout) {
            promise.fail(TestTimeoutError(what: "response to \(method)"))
        }
        self.waiting.append((promise, task))
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code < 200 { return }
            self.head = head
            self.body = context.channel.allocator.buffer(capacity: 0)
        case .body(var buffer):
            self.body.writeBuffer(&buffer)
        case .end:
            guard let head = self.head, !self.waiting.isEmpty else { return }
            let (promise, timeout) = self.waiting.removeFirst()
            timeout.cancel()
            self.head = nil
            promise.succeed(TestResponse(head: head, body: self.body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiting = self.waiting
        self.waiting = []
        for (promise, timeout) in waiting {
            timeout.cancel()
            promise.fail(ChannelError.ioOnClosedChannel)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let waiting = self.waiting
        self.waiting = []
        for (promise, timeout) in waiting {
            timeout.cancel()
            promise.fail(error)
        }
        context.close(promise: nil)
    }
}

/// Decodes the upstream's echo from raw bytes.
enum JSONDecoderHelper {
    static func echo(_ bytes: [UInt8]) throws -> EchoReply {
        try JSONDecoder().decode(EchoReply.self, from: Data(bytes))
    }
}
