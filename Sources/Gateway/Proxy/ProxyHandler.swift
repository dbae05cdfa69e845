import Logging
import NIOCore
import NIOHTTP1

/// The last handler of a client connection: routes each request, forwards it to an upstream connection from
/// the loop's pool, and streams the response back. Bodies are never buffered whole: reads from one side pause
/// while the other side cannot take more.
final class ProxyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for the next request head.
        case idle
        case exchanging(ProxyExchange)
        /// The gateway answered before the request's body arrived: the rest is read and dropped (up to
        /// `discardLimit`), then the connection serves the next request, or closes when `keepAlive` is false.
        case discarding(keepAlive: Bool, bytes: Int)
        /// The connection is closing: whatever still arrives is dropped.
        case closing
        /// Upgraded: the connection is a byte tunnel, this handler is leaving the pipeline.
        case tunneling
    }

    /// Request body bytes read and dropped after an early answer before the connection is closed instead.
    static let discardLimit = 1024 * 1024
    /// Pipelined request parts kept before reading from the client pauses.
    static let pipelineLimit = 64

    private let runtimes: GatewayRuntimeHolder
    private let upstreams: LoopUpstreams
    private let trusted: TrustedAddresses
    private let accessLog: AccessLog
    private let statistics: ConnectionStatistics
    /// Whether the client connection came through the HTTPS listener.
    private let isTLS: Bool
    private var state: State = .idle
    private var context: ChannelHandlerContext?
    private var peerAddress = ""
    /// Whether the peer is in `--trusted-ips`: decided once per connection.
    private var peerIsTrusted = false
    private var serverPort = 0
    private var readGate = ReadGate()
    /// Whether reads from the client are held because the upstream cannot take more.
    private var upstreamHoldsClient = false
    /// Parts of pipelined requests that arrived while a response was awaited.
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    private var draining = false
    /// Set by a graceful stop: no connection is kept alive after its current response.
    private var quiescing = false

    init(
        runtimes: GatewayRuntimeHolder,
        upstreams: LoopUpstreams,
        trusted: TrustedAddresses,
        accessLog: AccessLog,
        statistics: ConnectionStatistics,
        isTLS: Bool
    ) {
        self.runtimes = runtimes
        self.upstreams = upstreams
        self.trusted = trusted
        self.accessLog = accessLog
        self.statistics = statistics
        self.isTLS = isTLS
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.peerAddress = context.channel.remoteAddress?.ipAddress ?? ""
        self.peerIsTrusted = self.trusted.contains(self.peerAddress[...])
        self.serverPort = context.channel.localAddress?.port ?? 0
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: client → gateway

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        if self.pipelined.isEmpty, !self.awaitsResponse {
            self.process(part, context: context)
        } else {
            // A pipelined request: it waits, in order, until the response before it is complete.
            self.pipelined.append(part)
            if self.pipelined.count >= Self.pipelineLimit { self.readGate.close() }
        }
        self.drainPipelined()
    }

    private func process(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard case .idle = self.state else { return }
            self.startExchange(head, context: context)
        case .body(let buffer):
            switch self.state {
            case .exchanging(let exchange):
                self.forward(.body(.byteBuffer(buffer)), of: exchange)
            case .discarding(let keepAlive, let bytes):
                let total = bytes + buffer.readableBytes
                if total > Self.discardLimit { return self.closeClient() }
                self.state = .discarding(keepAlive: keepAlive, bytes: total)
            case .idle, .closing, .tunneling:
                break
            }
        case .end(let trailers):
            switch self.state {
            case .exchanging(let exchange):
                self.forward(.end(trailers), of: exchange)
            case .discarding(let keepAlive, _):
                if keepAlive && !self.quiescing { self.state = .idle } else { self.closeClient() }
            case .idle, .closing, .tunneling:
                break
            }
        }
    }

    /// Whether the current request has arrived whole and its response is not complete yet: what arrives now
    /// belongs to a later, pipelined request.
    private var awaitsResponse: Bool {
        if case .exchanging(let exchange) = self.state { return exchange.requestEnded }
        return false
    }

    /// Processes pipelined request parts, in order, for as long as no response is awaited.
    private func drainPipelined() {
        guard !self.draining, let context = self.context else { return }
        self.draining = true
        defer { self.draining = false }
        while !self.pipelined.isEmpty, !self.awaitsResponse {
            self.process(self.pipelined.removeFirst(), context: context)
        }
        if self.pipelined.count < Self.pipelineLimit, !self.upstreamHoldsClient {
            self.readGate.open(context: context)
        }
    }

    /// A stop asked the connection to finish: it closes now when idle, or after the response in progress.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            return context.fireUserInboundEventTriggered(event)
        }
        self.quiescing = true
        if case .idle = self.state { self.closeClient() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .exchanging(let exchange) = self.state, let connection = exchange.connection {
            connection.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .exchanging(let exchange) = self.state {
            self.abandon(exchange)
        }
        self.state = .closing
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .exchanging(let exchange) = self.state, let connection = exchange.connection {
            if context.channel.isWritable {
                connection.resumeReading()
            } else {
                connection.pauseReading()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    /// A request the HTTP parser rejects is answered 431 when its header block is too large and 400 otherwise
    /// (malformed request line, both `Content-Length` and `Transfer-Encoding`, conflicting `Content-Length`, bad
    /// chunk framing); nothing more of it reaches an upstream, and the connection closes.
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let parserError = error as? HTTPParserError, self.canAnswer {
            if case .exchanging(let exchange) = self.state { self.abandon(exchange) }
            let response: GatewayResponse = parserError == .headerOverflow ? .headersTooLarge : .badRequest
            self.respond(response, version: .http1_1, keepAlive: false, requestEnded: true)
        } else {
            if case .exchanging(let exchange) = self.state { self.abandon(exchange) }
            self.closeClient()
        }
    }

    /// Whether no response to the current request has begun, so the gateway may still answer it.
    private var canAnswer: Bool {
        switch self.state {
        case .idle: return true
        case .exchanging(let exchange): return !exchange.responseStarted
        case .discarding, .closing, .tunneling: return false
        }
    }

    func read(context: ChannelHandlerContext) {
        self.readGate.read(context: context)
    }

    private func pauseClientReads() {
        self.upstreamHoldsClient = true
        self.readGate.close()
    }

    private func resumeClientReads() {
        self.upstreamHoldsClient = false
        if self.pipelined.count < Self.pipelineLimit { self.readGate.open(context: self.context) }
    }

    // MARK: routing

    private func startExchange(_ received: HTTPRequestHead, context: ChannelHandlerContext) {
        let receivedAt = NIODeadline.now()
        self.statistics.requestReceived()
        var head = received
        HeaderRewriting.removeCallerIdentity(from: &head.headers)

        let hostHeaders = head.headers[canonicalForm: "host"]
        guard let target = RequestTarget(head.uri), hostHeaders.count <= 1,
            head.version.major == 1, head.version.minor == 0 || !hostHeaders.isEmpty,
            let path = try? PathNormalizer.normalize(target.path)
        else {
            self.accessLog.record(head, status: .badRequest, client: self.peerAddress, receivedAt: receivedAt)
            return self.respond(.badRequest, version: head.version, keepAlive: false, requestEnded: false)
        }
        // After an upgrade request NIO's decoder reads no further requests: the connection becomes a tunnel, or
        // closes after the answer.
        let isUpgrade = head.headers.contains(name: "upgrade")
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
        let runtime = self.runtimes.current
        let host = (target.host ?? hostHeaders.first).map { String(HostHeader.hostname(of: $0)) }
        guard let match = runtime.router.match(method: head.method.rawValue, host: host, path: path, headers: head.headers),
            let service = runtime.service(of: match.route)
        else {
            self.accessLog.record(head, status: .notFound, client: self.peerAddress, receivedAt: receivedAt)
            return self.respond(
                .noRoute,
                version: head.version,
                keepAlive: head.isKeepAlive && !isUpgrade,
                requestEnded: !head.announcesBody
            )
        }

        let client = ClientSide(
            address: self.peerIsTrusted
                ? self.trusted.clientAddress(
                    peer: self.peerAddress,
                    forwardedFor: head.headers[canonicalForm: "x-forwarded-for"].map(String.init)
                ) : self.peerAddress,
            peerAddress: self.peerAddress,
            peerIsTrusted: self.peerIsTrusted,
            serverPort: self.serverPort,
            isTLS: self.isTLS
        )
        let exchange = ProxyExchange(
            request: head,
            route: match.route,
            service: service,
            generation: runtime.generation,
            client: client,
            originalPath: target.path,
            forwardedPath: match.upstreamPath(servicePath: service.upstream.path),
            path: path,
            isUpgrade: isUpgrade,
            receivedAt: receivedAt
        )
        self.state = .exchanging(exchange)
        let chain = runtime.chains[match.routeIndex]
        guard !chain.isEmpty else { return self.accessPassed(exchange, query: target.query, context: context) }
        // The plugins own the request headers from here: moved rather than shared, so their edits copy nothing.
        exchange.request.headers = HTTPHeaders()
        let request = PluginRequest(
            method: head.method,
            path: path,
            query: target.query,
            clientAddress: client.address,
            routeName: match.route.name,
            serviceName: service.name,
            headers: Self.take(&head.headers),
            receivedAt: receivedAt,
            eventLoop: context.eventLoop
        )
        exchange.chain = chain
        exchange.pluginRequest = request
        switch chain.access(request) {
        case .proceed:
            self.accessPassed(exchange, query: request.query, context: context)
        case .respond(let reply):
            self.answer(exchange, with: reply)
        case .waiting(let index, let future):
            chain.wait(request, index: index, future: future) { reply in
                guard case .exchanging(let current) = self.state, current === exchange, let context = self.context else {
                    return
                }
                if let reply { return self.answer(exchange, with: reply) }
                self.accessPassed(exchange, query: request.query, context: context)
                if let connection = exchange.connection { connection.flush() }
            }
        }
    }

    /// `headers`, leaving an empty set behind.
    private static func take(_ headers: inout HTTPHeaders) -> HTTPHeaders {
        let taken = headers
        headers = HTTPHeaders()
        return taken
    }

    /// The access phases let the request through: its upstream head is made (with what the plugins changed) and
    /// the first attempt starts.
    private func accessPassed(_ exchange: ProxyExchange, query: Substring?, context: ChannelHandlerContext) {
        var head = exchange.request
        if let request = exchange.pluginRequest { head.headers = request.headers }
        exchange.upstreamHead = ForwardedRequest.makeHead(
            from: head,
            uri: query.map { exchange.forwardedPath + "?" + $0 } ?? exchange.forwardedPath,
            originalPath: exchange.originalPath,
            client: exchange.client,
            isUpgrade: exchange.isUpgrade
        )
        if head.version.minor >= 1, !exchange.requestEnded,
            head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
        {
            context.writeAndFlush(
                Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                promise: nil
            )
        }
        // A chunked body's framing is only known to be sound once its first chunk parsed: until then nothing goes
        // upstream, so a request the parser rejects at its first chunk never reaches it (see `forward`).
        if !exchange.isChunked || !exchange.bodyParts.isEmpty { self.startAttempt(exchange) }
    }

    // MARK: gateway → upstream

    /// Picks a target (another than those tried, when there is one) and connects to it; no available target answers
    /// 503 with Kong's ring-balancer message.
    private func startAttempt(_ exchange: ProxyExchange, fresh: Bool = false) {
        let balancer = exchange.balancer ?? self.upstreams.balancer(for: exchange.service, generation: exchange.generation)
        exchange.balancer = balancer
        if exchange.hashKey == nil, balancer.hashes {
            exchange.hashKey = UpstreamHashKey.key(for: exchange, upstream: exchange.service.upstream)
        }
        let reuse = fresh ? exchange.pick : nil
        guard let pick = reuse ?? balancer.pick(hashKey: exchange.hashKey ?? nil, tried: exchange.triedTargets) else {
            return self.fail(exchange, with: .noPeer)
        }
        exchange.pick = pick
        exchange.triedTargets.insert(pick.index)
        balancer.attemptStarted(pick.index)
        exchange.attempts += 1
        exchange.sentOnConnection = false
        let timeout = TimeAmount.milliseconds(Int64(exchange.service.connectTimeout))
        let tls = exchange.service.tls?.context
        let pool = self.upstreams.pool
        pool.acquire(pick.address, serverName: pick.target.host, tls: tls, connectTimeout: timeout, fresh: fresh) { result in
            self.attemptConnected(exchange, target: pick.target, result: result)
        }
    }

    /// The current attempt is over: its target has one request less in flight, and passive health checks count
    /// `outcome` (nil: nothing to count, the client went away). `latency` is the target's time to answer.
    private func endAttempt(_ exchange: ProxyExchange, outcome: TargetHealth.Outcome?, latency: TimeAmount? = nil) {
        guard let pick = exchange.pick, let balancer = exchange.balancer else { return }
        exchange.pick = nil
        balancer.attemptEnded(pick.index, latency: latency)
        if let outcome { balancer.health.reportPassive(outcome, target: pick.index) }
    }

    private func attemptConnected(
        _ exchange: ProxyExchange,
        target: Target,
        result: Result<UpstreamConnection, UpstreamError>
    ) {
        guard case .exchanging(let current) = self.state, current === exchange else {
            if case .success(let connection) = result { self.upstreams.pool.release(connection, reusable: true) }
            return
        }
        switch result {
        case .failure(let error):
            self.attemptFailed(exchange, error: error)
        case .success(let connection):
            exchange.connection = connection
            connection.delegate = self
            let host =
                exchange.route.preserveHost
                ? exchange.clientHost : (exchange.service.upstream.hostHeader ?? target.hostHeader(scheme: exchange.service.upstream.scheme))
            guard var head = exchange.upstreamHead else { return }
            if let host { head = ForwardedRequest.settingHost(host, on: head) }
            exchange.upstreamSentAt = .now()
            exchange.sentOnConnection = true
            connection.write(.head(head))
            for part in exchange.bodyParts { connection.write(part) }
            exchange.trimReplayIfConnected()
            connection.flush()
            if exchange.requestEnded { self.armReadTimeout(exchange) }
            if !connection.isWritable { self.upstreamBlocked(exchange) } else { self.resumeClientReads() }
        }
    }

    private func forward(_ part: HTTPClientRequestPart, of exchange: ProxyExchange) {
        exchange.append(part)
        if case .body(.byteBuffer(let buffer)) = part, exchange.chain.readsRequestBody, let request = exchange.pluginRequest {
            if let reply = exchange.chain.requestBody(request, buffer) {
                // A body plugin stops the request mid-stream: what the upstream got of it is cut off.
                self.abandon(exchange)
                return self.answer(exchange, with: reply, keepAlive: false)
            }
        }
        if exchange.upstreamHead == nil {
            // The access phases are still deciding: the body waits, and so does the client once it is large.
            if exchange.bodyBytes > ProxyExchange.replayLimit { self.pauseClientReads() }
            return
        }
        if exchange.attempts == 0 { return self.startAttempt(exchange) }
        if let connection = exchange.connection {
            connection.write(part)
            if case .end = part {
                connection.flush()
                self.armReadTimeout(exchange)
            }
            if !connection.isWritable { self.upstreamBlocked(exchange) }
        } else if exchange.bodyBytes > ProxyExchange.replayLimit {
            // Still connecting: hold the client until the upstream can take the body.
            self.pauseClientReads()
        }
    }

    // MARK: failures and retries

    private func attemptFailed(_ exchange: ProxyExchange, error: UpstreamError) {
        self.stopTimeoutChecks(exchange)
        let connection = exchange.connection
        exchange.connection = nil
        connection?.close()
        let failedPick = exchange.pick
        switch error {
        case .connectTimeout, .readTimeout, .writeTimeout: self.endAttempt(exchange, outcome: .timeout)
        case .connectFailed, .broken: self.endAttempt(exchange, outcome: exchange.responseStarted ? nil : .tcpFailure)
        }
        if exchange.responseStarted {
            // Part of the response is already with the client: all that is left is to cut it short.
            return self.closeClient()
        }
        if !exchange.sentOnConnection {
            // Nothing reached the upstream: any method may go to the next try.
            if exchange.attempts <= exchange.service.retries { return self.startAttempt(exchange) }
        } else if exchange.isIdempotent, exchange.isReplayable, error == .broken {
            if connection?.wasReused == true, !exchange.usedFreshRetry {
                // A kept-alive connection the upstream closed while idle: once more on a fresh one, to the same target.
                exchange.usedFreshRetry = true
                exchange.attempts -= 1
                exchange.pick = failedPick
                return self.startAttempt(exchange, fresh: true)
            }
            if exchange.attempts <= exchange.service.retries { return self.startAttempt(exchange) }
        }
        switch error {
        case .connectTimeout, .readTimeout, .writeTimeout: self.fail(exchange, with: .gatewayTimeout)
        case .connectFailed, .broken: self.fail(exchange, with: .badGateway)
        }
    }

    /// Answers the exchange with a gateway-made error and ends it.
    private func fail(_ exchange: ProxyExchange, with response: GatewayResponse) {
        self.answer(exchange, with: .message(response.status, response.message))
    }

    /// Answers the exchange with a reply a plugin or the gateway made, after the chain's response phases ran on it,
    /// and ends it; the chain's log phases follow. The connection stays when the client wants it and `keepAlive`
    /// does not say otherwise.
    private func answer(_ exchange: ProxyExchange, with made: PluginReply, keepAlive: Bool = true) {
        guard !exchange.responseStarted else { return self.closeClient() }
        var reply = made
        var finishedResponse: PluginResponse?
        if let request = exchange.pluginRequest {
            let finished = exchange.chain.finishReply(made, for: request)
            reply = finished.reply
            finishedResponse = finished.response
        }
        exchange.status = reply.status
        self.accessLog.record(exchange, client: self.peerAddress, now: .now())
        self.respond(
            GatewayResponse(reply),
            version: exchange.clientVersion,
            keepAlive: keepAlive && exchange.keepAlive,
            requestEnded: exchange.requestEnded || !exchange.announcesBody
        )
        // The answer is written and flushed: the log phases cannot delay it.
        if let request = exchange.pluginRequest, let response = finishedResponse {
            exchange.responseBodyBytes = reply.body.utf8.count
            response.summary = exchange.summary(finishedAt: .now())
            exchange.chain.log(request, response)
        }
    }

    /// Writes a gateway-made response. When the request is still arriving, the rest of it is dropped before the
    /// connection serves another (`keepAlive`) or closes.
    private func respond(_ response: GatewayResponse, version: HTTPVersion, keepAlive: Bool, requestEnded: Bool) {
        guard let context = self.context else { return }
        let keepAlive = keepAlive && !self.quiescing
        let body = response.body(allocator: context.channel.allocator)
        if requestEnded {
            self.state = keepAlive ? .idle : .closing
        } else {
            self.state = .discarding(keepAlive: keepAlive, bytes: 0)
        }
        self.resumeClientReads()
        let head = response.head(version: version, bodyLength: body.readableBytes, keepAlive: keepAlive)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        self.writeEnd(nil, closing: requestEnded && !keepAlive, context: context)
        self.drainPipelined()
    }

    private func writeEnd(_ trailers: HTTPHeaders?, closing: Bool, context: ChannelHandlerContext) {
        if closing {
            context.writeAndFlush(Self.wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(Self.wrapOutboundOut(.end(trailers)), promise: nil)
        }
    }

    private func closeClient() {
        self.state = .closing
        self.context?.close(promise: nil)
    }

    /// The client went away: the upstream connection is in an unknown state and is closed.
    private func abandon(_ exchange: ProxyExchange) {
        self.stopTimeoutChecks(exchange)
        self.endAttempt(exchange, outcome: nil)
        exchange.connection?.close()
        exchange.connection = nil
    }

    // MARK: read and write timeouts

    /// The upstream connection cannot take more of the request: the client waits, and the upstream has
    /// `write_timeout` to make room again (`upstreamWritabilityDidChange`).
    private func upstreamBlocked(_ exchange: ProxyExchange) {
        self.pauseClientReads()
        guard exchange.writeTimeoutCheck == nil, let context = self.context else { return }
        let timeout = TimeAmount.milliseconds(Int64(exchange.service.writeTimeout))
        exchange.writeTimeoutCheck = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard case .exchanging(let current) = self.state, current === exchange else { return }
            exchange.writeTimeoutCheck = nil
            self.attemptFailed(exchange, error: .writeTimeout)
        }
    }

    /// Starts watching for `read_timeout` between reads from the upstream, once the request was sent.
    private func armReadTimeout(_ exchange: ProxyExchange) {
        guard !exchange.readTimeoutArmed else { return }
        exchange.readTimeoutArmed = true
        exchange.lastUpstreamRead = .now()
        self.upstreams.readTimeouts.watch(self)
    }

    private func stopTimeoutChecks(_ exchange: ProxyExchange) {
        exchange.cancelWriteTimeoutCheck()
        if exchange.readTimeoutArmed {
            exchange.readTimeoutArmed = false
            self.upstreams.readTimeouts.unwatch(self)
        }
    }
}

extension ProxyHandler: ReadTimeoutWatched {
    func checkReadTimeout(now: NIODeadline) {
        guard case .exchanging(let exchange) = self.state, exchange.readTimeoutArmed else { return }
        if exchange.lastUpstreamRead + .milliseconds(Int64(exchange.service.readTimeout)) <= now {
            self.attemptFailed(exchange, error: .readTimeout)
        }
    }
}

// MARK: upstream → gateway → client

extension ProxyHandler: UpstreamConnectionDelegate {
    func upstreamDidReceive(_ part: HTTPClientResponsePart) {
        guard case .exchanging(let exchange) = self.state, let context = self.context else { return }
        exchange.lastUpstreamRead = .now()
        switch part {
        case .head(let upstreamHead):
            exchange.responseStarted = true
            exchange.upstreamAnsweredAt = exchange.lastUpstreamRead
            exchange.status = upstreamHead.status
            exchange.upstreamKeepAlive = upstreamHead.isKeepAlive
            if let pick = exchange.pick, let balancer = exchange.balancer {
                balancer.health.reportPassive(.answered(status: Int(upstreamHead.status.code)), target: pick.index)
            }
            if exchange.isUpgrade, upstreamHead.status == .switchingProtocols {
                // The tunnel starts at the 101's end: until then the upstream's decoder still has parts to deliver.
                exchange.switchingResponse = upstreamHead
                return
            }
            exchange.closesClient =
                !self.keepsClient(exchange) || self.quiescing
                || ForwardedResponse.needsCloseDelimiting(upstreamHead, exchange: exchange)
            var clientHead = upstreamHead
            if let cookie = exchange.stickyCookie { clientHead.headers.add(name: "set-cookie", value: cookie) }
            if let request = exchange.pluginRequest {
                let response = PluginResponse(status: upstreamHead.status, headers: upstreamHead.headers)
                exchange.chain.response(request, response)
                clientHead.status = response.status
                clientHead.headers = response.headers
                exchange.pluginResponse = response
                if response.collectsBody, exchange.method != .HEAD, response.status.mayHaveResponseBody {
                    exchange.heldResponseHead = clientHead
                    exchange.collectedBody = context.channel.allocator.buffer(capacity: 0)
                    return
                }
            }
            let head = ForwardedResponse.makeHead(from: clientHead, exchange: exchange, closing: exchange.closesClient)
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        case .body(let buffer):
            if exchange.collectedBody != nil { return self.collect(buffer, of: exchange, context: context) }
            exchange.responseBodyBytes += buffer.readableBytes
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            if !context.channel.isWritable { exchange.connection?.pauseReading() }
        case .end(let trailers):
            if let response = exchange.switchingResponse {
                return self.startTunnel(exchange, response: response, context: context)
            }
            if exchange.collectedBody != nil { self.sendCollected(exchange, context: context) }
            self.finish(exchange, trailers: trailers, context: context)
        }
    }

    /// Adds a part of a response body a plugin asked for whole; past `PluginResponse.collectLimit` the response
    /// goes to the client unchanged instead.
    private func collect(_ buffer: ByteBuffer, of exchange: ProxyExchange, context: ChannelHandlerContext) {
        guard var body = exchange.collectedBody, let head = exchange.heldResponseHead else { return }
        exchange.collectedBody = nil
        body.writeImmutableBuffer(buffer)
        guard body.readableBytes > PluginResponse.collectLimit else {
            exchange.collectedBody = body
            return
        }
        exchange.heldResponseHead = nil
        exchange.responseBodyBytes += body.readableBytes
        let clientHead = ForwardedResponse.makeHead(from: head, exchange: exchange, closing: exchange.closesClient)
        context.write(Self.wrapOutboundOut(.head(clientHead)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }

    /// Runs the response body phases on the collected body and sends the held head, with the body's new length,
    /// and the body.
    private func sendCollected(_ exchange: ProxyExchange, context: ChannelHandlerContext) {
        guard var body = exchange.collectedBody, var head = exchange.heldResponseHead,
            let request = exchange.pluginRequest, let response = exchange.pluginResponse
        else { return }
        exchange.collectedBody = nil
        exchange.heldResponseHead = nil
        exchange.chain.responseBody(request, response, &body)
        head.headers = response.headers
        head.headers.remove(name: "transfer-encoding")
        head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        exchange.responseBodyBytes += body.readableBytes
        let clientHead = ForwardedResponse.makeHead(from: head, exchange: exchange, closing: exchange.closesClient)
        context.write(Self.wrapOutboundOut(.head(clientHead)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
    }

    func upstreamDidFinishReading() {
        self.context?.flush()
    }

    func upstreamWritabilityDidChange(isWritable: Bool) {
        guard case .exchanging(let exchange) = self.state else { return }
        if isWritable {
            exchange.writeTimeoutCheck?.cancel()
            exchange.writeTimeoutCheck = nil
            self.resumeClientReads()
        } else {
            self.upstreamBlocked(exchange)
        }
    }

    func upstreamDidFail(_ error: UpstreamError) {
        guard case .exchanging(let exchange) = self.state else { return }
        self.attemptFailed(exchange, error: error)
    }

    /// Whether the client connection stays open after this exchange: the client asked for it and its request
    /// was read whole.
    private func keepsClient(_ exchange: ProxyExchange) -> Bool {
        exchange.keepAlive && exchange.requestEnded
    }

    private func finish(_ exchange: ProxyExchange, trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        self.stopTimeoutChecks(exchange)
        self.endAttempt(exchange, outcome: nil, latency: exchange.upstreamLatency)
        if let connection = exchange.connection {
            exchange.connection = nil
            self.upstreams.pool.release(connection, reusable: exchange.upstreamKeepAlive && exchange.requestEnded)
        }
        let keep = !exchange.closesClient
        self.state = keep ? .idle : .closing
        self.resumeClientReads()
        self.accessLog.record(exchange, client: self.peerAddress, now: .now())
        self.writeEnd(trailers, closing: !keep, context: context)
        // The response's end is written and flushed: the log phases cannot delay it.
        if let request = exchange.pluginRequest, let response = exchange.pluginResponse {
            response.summary = exchange.summary(finishedAt: .now())
            exchange.chain.log(request, response)
        }
        self.drainPipelined()
    }

    private func startTunnel(_ exchange: ProxyExchange, response: HTTPResponseHead, context: ChannelHandlerContext) {
        guard let connection = exchange.connection else { return }
        exchange.connection = nil
        self.stopTimeoutChecks(exchange)
        self.endAttempt(exchange, outcome: nil, latency: exchange.upstreamLatency)
        self.state = .tunneling
        self.accessLog.record(exchange, client: self.peerAddress, now: .now())
        UpgradeTunnel.join(client: context, upstream: connection, response: response)
    }
}

@available(*, unavailable)
extension ProxyHandler: Sendable {}
