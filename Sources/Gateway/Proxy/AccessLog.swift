import Logging
import NIOCore

/// One log line per request, through swift-log: method, path, route, status and latencies in the metadata.
struct AccessLog: Sendable {
    var logger: Logger

    func record(_ exchange: ProxyExchange, client: String, now: NIODeadline) {
        guard self.logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "client": .string(client),
            "method": .string(exchange.method.rawValue),
            "path": .string(exchange.clientURI),
            "route": .string(exchange.route.name),
            "service": .string(exchange.service.name),
            "status": .stringConvertible(exchange.status?.code ?? 0),
            "latency_ms": .stringConvertible(ProxyExchange.milliseconds(from: exchange.receivedAt, to: now)),
        ]
        if let sent = exchange.upstreamSentAt {
            metadata["proxy_latency_ms"] = .stringConvertible(ProxyExchange.milliseconds(from: exchange.receivedAt, to: sent))
            if let answered = exchange.upstreamAnsweredAt {
                metadata["upstream_latency_ms"] = .stringConvertible(ProxyExchange.milliseconds(from: sent, to: answered))
            }
        }
        self.logger.info("request", metadata: metadata)
    }
}
