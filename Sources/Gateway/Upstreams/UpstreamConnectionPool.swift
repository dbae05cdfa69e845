import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Identifies the connections that can serve each other's requests: one target of one scheme, and for https the
/// same TLS settings (a plain and a TLS connection to one `host:port` are never shared).
struct UpstreamPoolKey: Hashable {
    /// The address connected to (a target's IP, or what its name resolved to).
    var host: String
    var port: Int
    /// The TLS context of an https connection; nil for http.
    var tls: UpstreamTLSContext?
    /// The name an https connection sends as SNI and checks the certificate against: the target's host name; nil
    /// for http.
    var serverName: String?
}

/// Keep-alive connections to upstream targets, for one event loop: a request never leaves its loop, so the
/// pool needs no lock. Idle connections are reused last-in first-out.
final class UpstreamConnectionPool {
    let eventLoop: EventLoop
    /// Idle connections kept per target (Kong's `upstream_keepalive_pool_size`, 512); more are closed when released.
    let maxIdlePerTarget: Int
    private var idle: [UpstreamPoolKey: [UpstreamConnection]] = [:]

    init(eventLoop: EventLoop, maxIdlePerTarget: Int = 512) {
        self.eventLoop = eventLoop
        self.maxIdlePerTarget = maxIdlePerTarget
    }

    /// Hands `completion` an idle connection to `address`, or a new one (over TLS with `tls`, naming `serverName`,
    /// its handshake done within `connectTimeout` too); `fresh` skips idle connections. `completion` runs on the
    /// pool's loop, at once when an idle connection is there. A failed TLS handshake or certificate check is a
    /// `connectFailed`.
    func acquire(
        _ address: Target,
        serverName: String? = nil,
        tls: UpstreamTLSContext? = nil,
        connectTimeout: TimeAmount,
        fresh: Bool = false,
        completion: @escaping (Result<UpstreamConnection, UpstreamError>) -> Void
    ) {
        let key = UpstreamPoolKey(
            host: address.host,
            port: address.port,
            tls: tls,
            serverName: tls == nil ? nil : serverName ?? address.host
        )
        if !fresh {
            while let connection = self.idle[key]?.popLast() {
                if connection.isActive {
                    connection.wasReused = true
                    return completion(.success(connection))
                }
            }
        }
        self.connect(key, timeout: connectTimeout).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: UpstreamConnectionHandler.self)
                    completion(.success(UpstreamConnection(channel: channel, key: key, handler: handler)))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(.connectFailed))
                }
            case .failure(let error):
                completion(.failure(error as? UpstreamError ?? .connectFailed))
            }
        }
    }

    /// Returns a connection after a complete exchange; it is kept if it can serve another request. A kept
    /// connection reads again (an exchange may have paused it for a slow client), so that it notices the upstream
    /// closing it and reads the next response.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        connection.delegate = nil
        guard reusable, connection.isActive, (self.idle[connection.key]?.count ?? 0) < self.maxIdlePerTarget else {
            connection.close()
            return
        }
        connection.resumeReading()
        self.idle[connection.key, default: []].append(connection)
    }

    /// Closes every idle connection (at shutdown).
    func closeIdle() {
        for connections in self.idle.values {
            for connection in connections { connection.close() }
        }
        self.idle = [:]
    }

    private func connect(_ key: UpstreamPoolKey, timeout: TimeAmount) -> EventLoopFuture<Channel> {
        let deadline = NIODeadline.now() + timeout
        let handshake = key.tls.map { _ in self.eventLoop.makePromise(of: Void.self) }
        let bootstrap = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = key.tls, let handshake {
                        let serverName = UpstreamTLSContext.serverName(for: key.serverName ?? key.host)
                        let pipeline = channel.pipeline.syncOperations
                        let tlsHandler = try NIOSSLClientHandler(context: tls.sslContext, serverHostname: serverName)
                        try pipeline.addHandler(tlsHandler)
                        try pipeline.addHandler(UpstreamHandshakeHandler(completion: handshake, deadline: deadline))
                    }
                    // The request heads come from NIO's parser and the gateway's own edits: no second validation.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        enableOutboundHeaderValidation: false
                    )
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnectionHandler())
                }
            }
        return bootstrap.connect(literalOrName: key.host, port: key.port).flatMap { channel in
            guard let handshake else { return channel.eventLoop.makeSucceededFuture(channel) }
            return handshake.futureResult.map { channel }.flatMapErrorThrowing { error in
                channel.close(promise: nil)
                throw error
            }
        }.flatMapErrorThrowing { error in
            // Completes the handshake's promise when the connection never got so far (a no-op otherwise).
            handshake?.fail(error)
            if case ChannelError.connectTimeout = error { throw UpstreamError.connectTimeout }
            if let error = error as? UpstreamError { throw error }
            throw UpstreamError.connectFailed
        }
    }
}

@available(*, unavailable)
extension UpstreamConnectionPool: Sendable {}
