import Foundation
import NIOCore
import NIOPosix

/// What a raw client read: the bytes, and whether the server closed the connection.
struct RawReceived: Sendable {
    var bytes: [UInt8]
    var closed: Bool

    var text: String { String(decoding: self.bytes, as: UTF8.self) }
}

/// A TCP client that sends exact bytes and reads whatever comes back, for requests no HTTP client would send.
final class RawTCPClient: Sendable {
    private let channel: Channel

    private init(channel: Channel) {
        self.channel = channel
    }

    /// With `reading` false the client never reads: what the server sends stays in the socket buffers.
    static func connect(port: Int, group: EventLoopGroup, reading: Bool = true) async throws -> RawTCPClient {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.autoRead, value: reading)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawCollector())
                }
            }
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
            .get()
        return RawTCPClient(channel: channel)
    }

    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Reads until the server closes the connection, or `timeout` passes.
    func readUntilClose(timeout: TimeAmount = .seconds(10)) async throws -> RawReceived {
        try await self.read(timeout: timeout) { _ in false }
    }

    /// Reads until `done` holds for the bytes received so far, the server closes, or `timeout` passes.
    func read(
        timeout: TimeAmount = .seconds(10),
        until done: @escaping @Sendable ([UInt8]) -> Bool
    ) async throws -> RawReceived {
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit {
            guard let collector = try? channel.pipeline.syncOperations.handler(type: RawCollector.self) else {
                return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
            }
            return collector.wait(timeout: timeout, until: done)
        }.get()
    }

    /// Starts reading, for a client connected with `reading` false.
    func startReading() async throws {
        try await self.channel.setOption(.autoRead, value: true).get()
        self.channel.read()
    }

    func close() async {
        try? await self.channel.close()
    }
}

/// Keeps every byte read and wakes waiters when their condition holds.
private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private struct Waiter {
        var done: @Sendable ([UInt8]) -> Bool
        var promise: EventLoopPromise<RawReceived>
        var timeout: Scheduled<Void>
    }

    private var received: [UInt8] = []
    private var closed = false
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0
    private var eventLoop: EventLoop?

    func handlerAdded(context: ChannelHandlerContext) {
        self.eventLoop = context.eventLoop
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received += Self.unwrapInboundIn(data).readableBytesView
        self.check()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            self.closed = true
            self.check()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        self.check()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func wait(timeout: TimeAmount, until done: @escaping @Sendable ([UInt8]) -> Bool) -> EventLoopFuture<RawReceived> {
        let eventLoop = self.eventLoop!
        let promise = eventLoop.makePromise(of: RawReceived.self)
        if self.closed || done(self.received) {
            promise.succeed(RawReceived(bytes: self.received, closed: self.closed))
            return promise.futureResult
        }
        let id = self.nextWaiter
        self.nextWaiter += 1
        let task = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard let waiter = self.waiters.removeValue(forKey: id) else { return }
            waiter.promise.succeed(RawReceived(bytes: self.received, closed: self.closed))
        }
        self.waiters[id] = Waiter(done: done, promise: promise, timeout: task)
        return promise.futureResult
    }

    private func check() {
        for (id, waiter) in self.waiters where self.closed || waiter.done(self.received) {
            self.waiters[id] = nil
            waiter.timeout.cancel()
            waiter.promise.succeed(RawReceived(bytes: self.received, closed: self.closed))
        }
    }
}

/// One HTTP response parsed from raw bytes.
struct RawResponse: Sendable {
    var version: String
    var status: Int
    /// Header `[name, value]` pairs as received.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func values(_ name: String) -> [String] {
        self.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    func value(_ name: String) -> String? {
        self.values(name).first
    }

    var bodyText: String { String(decoding: self.body, as: UTF8.self) }

    /// Parses consecutive responses. `headRequests` says, per response in order, whether it answers a HEAD
    /// (no body whatever its headers say). A response with neither length nor chunking runs to the end of the
    /// bytes only when `closed`. Stops at the first incomplete response.
    static func parseAll(_ bytes: [UInt8], closed: Bool = false, headRequests: [Bool] = []) -> [RawResponse] {
        var responses: [RawResponse] = []
        var index = 0
        var finalResponses = 0
        while index < bytes.count {
            let isHead = finalResponses < headRequests.count && headRequests[finalResponses]
            guard let (response, next) = Self.parse(bytes, from: index, isHead: isHead, closed: closed) else { break }
            responses.append(response)
            if response.status >= 200 { finalResponses += 1 }
            index = next
        }
        return responses
    }

    private static func parse(_ bytes: [UInt8], from start: Int, isHead: Bool, closed: Bool) -> (RawResponse, Int)? {
        guard let headEnd = Self.find([13, 10, 13, 10], in: bytes, from: start) else { return nil }
        let lines = String(decoding: bytes[start..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(version: String(statusParts[0]), status: status, headers: headers, body: [])
        var index = headEnd + 4
        if isHead || status < 200 || status == 204 || status == 304 {
            return (response, index)
        }
        if response.value("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = Self.find([13, 10], in: bytes, from: index) else { return nil }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
                index = lineEnd + 2
                if size == 0 {
                    // Trailers, then the empty line.
                    while true {
                        guard let end = Self.find([13, 10], in: bytes, from: index) else { return nil }
                        let empty = end == index
                        index = end + 2
                        if empty { return (response, index) }
                    }
                }
                guard bytes.count >= index + size + 2 else { return nil }
                response.body += bytes[index..<(index + size)]
                index += size + 2
            }
        }
        if let length = response.value("content-length").flatMap({ Int($0) }) {
            guard bytes.count >= index + length else { return nil }
            response.body = Array(bytes[index..<(index + length)])
            return (response, index + length)
        }
        guard closed else { return nil }
        response.body = Array(bytes[index...])
        return (response, bytes.count)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
