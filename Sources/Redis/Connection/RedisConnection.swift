import NIOCore
import NIOPosix

/// One connection to Redis: hiredis' reader and formatter in the pipeline, commands pipelined through a
/// `RedisConnectionHandler`. Made, logged in and handed out by a `RedisConnectionPool`; used on its event loop.
final class RedisConnection: Sendable {
    let channel: Channel
    private let handler: NIOLoopBound<RedisConnectionHandler>

    /// Call on the channel's event loop.
    private init(channel: Channel, handler: RedisConnectionHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Completes when the connection has closed, for whatever reason.
    var closeFuture: EventLoopFuture<Void> { self.channel.closeFuture }

    /// Sends `command` at once, without waiting for the replies before it. Call on the connection's event loop.
    func send(_ command: RedisCommand) -> EventLoopFuture<RedisReply> {
        let promise = self.channel.eventLoop.makePromise(of: RedisReply.self)
        self.handler.value.send(command, promise: promise)
        return promise.futureResult
    }

    func close() {
        self.channel.close(promise: nil)
    }

    /// Connects to `configuration`'s endpoint on `eventLoop`, then sends `AUTH` and `SELECT` as it asks. Fails with a
    /// ``RedisError`` (`connectionFailed`, `authenticationFailed`, `databaseSelectionFailed`, `timeout`, ...).
    static func connect(
        _ configuration: RedisConfiguration,
        on eventLoop: EventLoop
    ) -> EventLoopFuture<RedisConnection> {
        let commandTimeout = configuration.commandTimeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(RedisReplyDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(RedisCommandEncoder()))
                    try pipeline.addHandler(RedisConnectionHandler(commandTimeout: commandTimeout))
                }
            }
        let channel: EventLoopFuture<Channel>
        switch configuration.endpoint {
        case .tcp(let host, let port):
            // An IP address is connected to directly: NIO's `connect(host:port:)` would look it up twice on other
            // threads first, whose late answer can reach an event loop that has already shut down.
            if let address = try? SocketAddress(ipAddress: host, port: port) {
                channel = bootstrap.connect(to: address)
            } else {
                channel = bootstrap.connect(host: host, port: port)
            }
        case .unixSocket(let path):
            channel = bootstrap.connect(unixDomainSocketPath: path)
        }
        return channel.flatMapErrorThrowing { error in
            throw RedisError.connectionFailed(message: Self.describeConnectFailure(error, to: configuration.endpoint))
        }.flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: RedisConnectionHandler.self)
            return RedisConnection(channel: channel, handler: handler)
        }.flatMap { (connection: RedisConnection) -> EventLoopFuture<RedisConnection> in
            connection.logIn(configuration).map { connection }.flatMapErrorThrowing { error in
                connection.close()
                throw error
            }
        }
    }

    /// Sends `AUTH` and `SELECT` in one write when the configuration asks for them; a refusal fails with
    /// ``RedisError/Code/authenticationFailed`` or ``RedisError/Code/databaseSelectionFailed`` and Redis' message.
    private func logIn(_ configuration: RedisConfiguration) -> EventLoopFuture<Void> {
        var steps: [EventLoopFuture<Void>] = []
        if let password = configuration.password {
            let credentials = [configuration.username.map { RedisArgument($0) }, RedisArgument(password)]
            let auth = RedisCommand("AUTH", arguments: credentials.compactMap { $0 })
            steps.append(self.send(auth, refusal: RedisError.authenticationFailed(message:)))
        }
        if configuration.database != 0 {
            let select = RedisCommand("SELECT", RedisArgument(configuration.database))
            steps.append(self.send(select, refusal: RedisError.databaseSelectionFailed(message:)))
        }
        // The first refusal wins: a failed AUTH also fails the SELECT behind it, with NOAUTH.
        return steps.reduce(self.channel.eventLoop.makeSucceededVoidFuture()) { previous, step in
            previous.flatMap { step }
        }
    }

    private func send(
        _ command: RedisCommand,
        refusal: @escaping @Sendable (String) -> RedisError
    ) -> EventLoopFuture<Void> {
        self.send(command).flatMapErrorThrowing { error in
            guard let error = error as? RedisError, error.code == .server else { throw error }
            throw refusal(error.message)
        }.map { _ in }
    }

    private static func describeConnectFailure(_ error: Error, to endpoint: RedisConfiguration.Endpoint) -> String {
        let target =
            switch endpoint {
            case .tcp(let host, let port): "\(host):\(port)"
            case .unixSocket(let path): path
            }
        let reason: String
        switch error {
        case ChannelError.connectTimeout(let amount):
            reason = "no connection within \(amount.nanoseconds / 1_000_000) ms"
        case let error as NIOConnectionError:
            reason = error.connectionErrors.last.map { "\($0.error)" } ?? "cannot resolve the host"
        default:
            reason = "\(error)"
        }
        return "cannot connect to \(target): \(reason)"
    }
}
