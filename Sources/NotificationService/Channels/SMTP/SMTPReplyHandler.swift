import NIOCore

/// A server's reply: the three-digit code and the text of each line (`250-PIPELINING`, `250 SMTPUTF8` → two lines).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The code.
    public var code: Int
    /// The text after the code on each line.
    public var lines: [String]

    /// 2xx and 3xx.
    public var isPositive: Bool { self.code < 400 }

    public var description: String { "\(self.code) \(self.lines.joined(separator: " / "))" }
}

/// Why an SMTP exchange stopped.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server closed the connection, or it timed out.
    case closed
    /// A line that is not an SMTP reply, or a reply longer than we accept.
    case malformed(String)

    public var description: String {
        switch self {
        case .closed: return "the SMTP connection closed"
        case .malformed(let line): return "the SMTP server sent something that is not a reply: \(line.prefix(200))"
        }
    }
}

/// Reads the server's replies off the connection (under TLS when a TLS handler sits before it) and hands them, in
/// order, to whoever waits for the next one. A closed connection fails every wait.
final class SMTPReplyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private static let maximumBuffered = 64 * 1024
    private var buffer = ByteBuffer()
    private var lines: [String] = []
    private var replies = CircularBuffer<SMTPReply>()
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var failure: SMTPError?

    /// Completes `promise` with the next reply (one that came already, or the next to come).
    func nextReply(_ promise: EventLoopPromise<SMTPReply>) {
        if let reply = self.replies.popFirst() {
            promise.succeed(reply)
        } else if let failure = self.failure {
            promise.fail(failure)
        } else {
            self.waiting.append(promise)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&bytes)
        while let newline = self.buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - self.buffer.readerIndex + 1
            var bytes = self.buffer.readBytes(length: length) ?? []
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
            self.line(String(decoding: bytes, as: UTF8.self), context: context)
        }
        self.buffer.discardReadBytes()
        if self.buffer.readableBytes > Self.maximumBuffered {
            self.fail(.malformed("a line longer than \(Self.maximumBuffered) bytes"), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(.closed)
        context.close(promise: nil)
    }

    private func line(_ line: String, context: ChannelHandlerContext) {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)),
            utf8.count == 3 || utf8[3] == UInt8(ascii: " ") || utf8[3] == UInt8(ascii: "-")
        else {
            self.fail(.malformed(line), context: context)
            return
        }
        self.lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        guard utf8.count == 3 || utf8[3] == UInt8(ascii: " ") else { return }
        let reply = SMTPReply(code: code, lines: self.lines)
        self.lines = []
        if let promise = self.waiting.popFirst() {
            promise.succeed(reply)
        } else {
            self.replies.append(reply)
        }
    }

    private func fail(_ error: SMTPError, context: ChannelHandlerContext) {
        self.failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: SMTPError) {
        if self.failure == nil { self.failure = error }
        while let promise = self.waiting.popFirst() { promise.fail(error) }
    }
}

@available(*, unavailable)
extension SMTPReplyHandler: Sendable {}
