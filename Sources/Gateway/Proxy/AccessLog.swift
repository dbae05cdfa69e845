import Logging
import NIOCore
import NIOHTTP1

/// One log line per request, through swift-log: method, path, route, status and latencies in the metadata.
struct AccessLog: Sendable {
    var logger: Logger

    /// Logs a request that went (or was meant to go) to an upstream.
    func record(_ exchange: ProxyExchange, client: String, now: NIODeadline) {
        guard self.logger.logLevel <= .info else { return }
        var metadata = Self.metadata(
            client: client,
            method: exchange.method,
            uri: exchange.clientURI,
            status: exchange.status,
            latency: ProxyExchange.milliseconds(from: exchange.receivedAt, to: now)
        )
        metadata["route"] = .string(exchange.route.name)
        metadata["service"] = .string(exchange.service.name)
        if let sent = exchange.upstreamSentAt {
            metadata["proxy_latency_ms"] = .stringConvertible(ProxyExchange.milliseconds(from: exchange.receivedAt, to: sent))
            if let answered = exchange.upstreamAnsweredAt {
                metadata["upstream_latency_ms"] = .stringConvertible(ProxyExchange.milliseconds(from: sent, to: answered))
            }
        }
        self.logger.info("request", metadata: metadata)
    }

    /// Logs a request the gateway answered before routing it anywhere (no route, bad request).
    func record(_ request: HTTPRequestHead, status: HTTPResponseStatus, client: String, receivedAt: NIODeadline) {
        guard self.logger.logLevel <= .info else { return }
        let latency = ProxyExchange.milliseconds(from: receivedAt, to: .now())
        self.logger.info(
            "request",
            metadata: Self.metadata(client: client, method: request.method, uri: request.uri, status: status, latency: latency)
        )
    }

    private static func metadata(
        client: String,
        method: HTTPMethod,
        uri: String,
        status: HTTPResponseStatus?,
        latency: Int64
    ) -> Logger.Metadata {
        [
            "client": .string(client),
            "method": .string(method.rawValue),
            "path": .string(uri),
            "status": .stringConvertible(status?.code ?? 0),
            "latency_ms": .stringConvertible(latency),
        ]
    }
}
