import NIOCore
import NIOPosix
import NIOSSL

/// One connection to an SMTP server: commands out, replies in, in order; STARTTLS switches it to TLS in place.
/// The whole exchange has a deadline, after which the connection is closed and every wait fails.
struct SMTPConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<SMTPReplyHandler>

    /// Connects to `host:port`, with TLS from the start when `tls` is given; closed after `deadline`.
    static func connect(
        host: String, port: Int, tls: NIOSSLContext?, serverHostname: String?, deadline: TimeAmount,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SMTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                })
            }
            .connect(host: host, port: port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self), eventLoop: channel.eventLoop)
        }.get()
        channel.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
        return SMTPConnection(channel: channel, handler: handler)
    }

    /// The next reply from the server.
    func reply() async throws -> SMTPReply {
        let promise = self.channel.eventLoop.makePromise(of: SMTPReply.self)
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.nextReply(promise) }
        return try await promise.futureResult.get()
    }

    /// Sends `line` (CRLF added) and returns the reply.
    func command(_ line: String) async throws -> SMTPReply {
        try await self.write(line + "\r\n")
        return try await self.reply()
    }

    /// Sends `text` as it is.
    func write(_ text: String) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Starts TLS on the open connection (after the server's 220 to STARTTLS).
    func startTLS(_ context: NIOSSLContext, serverHostname: String?) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
    }

    /// Closes the connection.
    func close() async {
        try? await self.channel.close().get()
    }
}
