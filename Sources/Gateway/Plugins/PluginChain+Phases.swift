import Logging
import NIOCore
import NIOHTTP1

/// Where a chain's access phases got to.
public enum AccessOutcome {
    /// Every access phase let the request through: on to the upstream.
    case proceed
    /// A plugin answered the request.
    case respond(PluginReply)
    /// The plugin at `index` deferred its decision to `future`; `PluginChain.resume` goes on from there.
    case waiting(index: Int, future: EventLoopFuture<PluginAction>)
}

/// Running a chain's phases: the one place both the proxy and `GatewayTesting` go through, so a plugin's tests run
/// it exactly as the gateway does.
extension PluginChain {
    /// Kong's answer when a plugin fails unexpectedly.
    public static let unexpectedError = PluginReply.message(.internalServerError, "An unexpected error occurred")

    /// Runs the access phases from the entry at `start`, in order, until one answers or defers.
    public func access(_ request: PluginRequest, from start: Int = 0) -> AccessOutcome {
        var index = start
        while index < self.plugins.count {
            switch self.plugins[index].access(request) {
            case .proceed:
                index += 1
            case .respond(let reply):
                return .respond(reply)
            case .deferred(let future):
                return .waiting(index: index, future: future)
            }
        }
        return .proceed
    }

    /// Goes on once the entry at `index` decided `action`.
    public func resume(_ request: PluginRequest, after index: Int, with action: PluginAction) -> AccessOutcome {
        switch action {
        case .proceed: return self.access(request, from: index + 1)
        case .respond(let reply): return .respond(reply)
        case .deferred(let future): return .waiting(index: index, future: future)
        }
    }

    /// Waits, on the request's event loop and without blocking it, for the deferred decision of the entry at
    /// `index` and any that follow, then calls `completion` there with nil (on to the upstream) or the reply.
    public func wait(
        _ request: PluginRequest,
        index: Int,
        future: EventLoopFuture<PluginAction>,
        completion: @escaping (PluginReply?) -> Void
    ) {
        future.hop(to: request.eventLoop).assumeIsolated().whenComplete { result in
            let action: PluginAction
            switch result {
            case .success(let decided):
                action = decided
            case .failure(let error):
                self.logger.error(
                    "plugin \(self.entries[index].name) failed: \(error)",
                    metadata: ["route": "\(request.routeName)"]
                )
                action = .respond(Self.unexpectedError)
            }
            switch self.resume(request, after: index, with: action) {
            case .proceed: completion(nil)
            case .respond(let reply): completion(reply)
            case .waiting(let next, let nextFuture): self.wait(request, index: next, future: nextFuture, completion: completion)
            }
        }
    }

    /// Counts a request body part and hands it to the plugins that read bodies; the first reply stops the request.
    public func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply? {
        request.bodyBytesReceived += part.readableBytes
        for plugin in self.bodyReaders {
            if let reply = plugin.requestBody(request, part) { return reply }
        }
        return nil
    }

    /// Runs every response phase on `response`.
    public func response(_ request: PluginRequest, _ response: PluginResponse) {
        for plugin in self.plugins { plugin.response(request, response) }
    }

    /// Runs every response body phase on the collected `body`.
    public func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer) {
        for plugin in self.plugins { plugin.responseBody(request, response, &body) }
    }

    /// Runs every log phase.
    public func log(_ request: PluginRequest, _ response: PluginResponse) {
        for plugin in self.plugins { plugin.log(request, response) }
    }

    /// The response a plugin's reply becomes once the response phases ran on it (and, when one asked, the
    /// response body phases on its body): what the client gets.
    public func finishReply(_ reply: PluginReply, for request: PluginRequest) -> (reply: PluginReply, response: PluginResponse) {
        let response = PluginResponse(status: reply.status, headers: reply.headers, isGatewayMade: true)
        self.response(request, response)
        var body = reply.body
        if response.collectsBody, request.method != .HEAD, response.status.mayHaveResponseBody {
            var buffer = ByteBuffer(string: body)
            self.responseBody(request, response, &buffer)
            body = String(buffer: buffer)
        }
        return (PluginReply(status: response.status, headers: response.headers, body: body), response)
    }
}
