import Gateway
import NIOCore
import NIOHTTP1

/// One request through a harness' chain, on the harness' event loop: the phases in the gateway's order.
struct HarnessExchange {
    let chain: PluginChain
    let request: PluginRequest
    let test: TestRequest
    let upstream: TestResponse
    let upstreamHeadersBefore: HTTPHeaders
    let promise: EventLoopPromise<PluginRun>

    init(chain: PluginChain, request test: TestRequest, consumer: Consumer?, upstream: TestResponse, eventLoop: any EventLoop) {
        // What a client says about its own identity never reaches a plugin, as in the gateway.
        var headers = test.headers
        PluginRequest.removeCallerIdentity(from: &headers)
        let request = PluginRequest(
            method: test.method,
            path: test.path,
            query: test.query.map { Substring($0) },
            clientAddress: test.clientAddress,
            routeName: test.routeName,
            serviceName: test.serviceName,
            headers: headers,
            eventLoop: eventLoop
        )
        if let consumer { request.authenticate(consumer, credential: test.credentialIdentifier) }
        self.chain = chain
        self.request = request
        self.test = test
        self.upstream = upstream
        self.upstreamHeadersBefore = request.headers
        self.promise = eventLoop.makePromise()
    }

    /// Runs the phases; the future completes with what they did.
    func start() -> EventLoopFuture<PluginRun> {
        switch self.chain.access(self.request) {
        case .proceed:
            self.accessDone(nil)
        case .respond(let reply):
            self.accessDone(reply)
        case .waiting(let index, let future):
            self.chain.wait(self.request, index: index, future: future) { self.accessDone($0) }
        }
        return self.promise.futureResult
    }

    private func accessDone(_ accessReply: PluginReply?) {
        var reply = accessReply
        var forwarded = ByteBuffer()
        if reply == nil {
            for part in self.test.bodyParts {
                if let bodyReply = self.chain.requestBody(self.request, part) {
                    reply = bodyReply
                    break
                }
                forwarded.writeImmutableBuffer(part)
            }
        }
        if let reply {
            let finished = self.chain.finishReply(reply, for: self.request)
            finished.response.summary = ExchangeSummary(
                requestLatency: 0,
                upstreamLatency: nil,
                gatewayLatency: 0,
                requestBodyBytes: forwarded.readableBytes,
                responseBodyBytes: finished.reply.body.utf8.count
            )
            self.chain.log(self.request, finished.response)
            let response = TestResponse(status: finished.reply.status, headers: finished.reply.headers, body: finished.reply.body)
            return self.complete(upstreamRequest: nil, response: response, clientHeadersBefore: reply.headers)
        }
        let response = PluginResponse(status: self.upstream.status, headers: self.upstream.headers)
        self.chain.response(self.request, response)
        var body = ByteBuffer(string: self.upstream.body)
        if response.collectsBody, self.request.method != .HEAD, response.status.mayHaveResponseBody {
            self.chain.responseBody(self.request, response, &body)
            response.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        }
        response.summary = ExchangeSummary(
            requestLatency: 0,
            upstreamLatency: 0,
            gatewayLatency: 0,
            requestBodyBytes: forwarded.readableBytes,
            responseBodyBytes: body.readableBytes
        )
        self.chain.log(self.request, response)
        let upstreamRequest = PluginRun.UpstreamRequest(
            method: self.request.method,
            path: self.request.path,
            query: self.request.query.map(String.init),
            headers: self.request.headers,
            body: String(buffer: forwarded)
        )
        self.complete(
            upstreamRequest: upstreamRequest,
            response: TestResponse(status: response.status, headers: response.headers, body: String(buffer: body)),
            clientHeadersBefore: self.upstream.headers
        )
    }

    private func complete(upstreamRequest: PluginRun.UpstreamRequest?, response: TestResponse, clientHeadersBefore: HTTPHeaders) {
        self.promise.succeed(
            PluginRun(
                upstreamRequest: upstreamRequest,
                response: response,
                upstreamHeaderChanges: HeaderChanges(from: self.upstreamHeadersBefore, to: self.request.headers),
                clientHeaderChanges: HeaderChanges(from: clientHeadersBefore, to: response.headers),
                consumer: self.request.consumer,
                credentialIdentifier: self.request.credentialIdentifier,
                context: self.request.context
            )
        )
    }
}

@available(*, unavailable)
extension HarnessExchange: Sendable {}
