import NIOHTTP1

/// Builds the response head sent to the client from the one the upstream sent.
enum ForwardedResponse {
    /// The client's response head: in the client's HTTP version, hop-by-hop headers removed (the body is framed
    /// anew), `Via` and the gateway's latency headers added, and `Connection` saying whether the connection stays.
    static func makeHead(from upstream: HTTPResponseHead, exchange: ProxyExchange, closing: Bool) -> HTTPResponseHead {
        var headers = upstream.headers
        HeaderRewriting.removeHopByHop(from: &headers)
        HeaderRewriting.appendVia(to: &headers)
        if let sent = exchange.upstreamSentAt, let answered = exchange.upstreamAnsweredAt {
            headers.add(
                name: "x-gateway-upstream-latency",
                value: String(ProxyExchange.milliseconds(from: sent, to: answered))
            )
            headers.add(
                name: "x-gateway-proxy-latency",
                value: String(ProxyExchange.milliseconds(from: exchange.receivedAt, to: sent))
            )
        }
        if closing {
            headers.add(name: "connection", value: "close")
        } else if exchange.clientVersion.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: exchange.clientVersion, status: upstream.status, headers: headers)
    }

    /// Whether an HTTP/1.0 client can only learn where this response ends from the connection closing: it has a
    /// body of unknown length, and 1.0 has no chunked coding.
    static func needsCloseDelimiting(_ upstream: HTTPResponseHead, exchange: ProxyExchange) -> Bool {
        exchange.clientVersion.minor == 0 && exchange.method != .HEAD && upstream.status.mayHaveResponseBody
            && !upstream.headers.contains(name: "content-length")
    }
}
