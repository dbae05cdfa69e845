import NIOHTTP1

/// What the proxy knows about the client side of one request: who sent it and how it reached the gateway.
struct ClientSide {
    /// The client's address: the socket peer, or the address the trusted peer forwarded.
    var address: String
    /// The socket peer's address.
    var peerAddress: String
    /// Whether the peer is in `--trusted-ips`, so its `X-Forwarded-*` headers are believed.
    var peerIsTrusted: Bool
    /// The port the client connected to.
    var serverPort: Int
    /// Whether the client connected over TLS (the HTTPS listener): `X-Forwarded-Proto` is then `https`.
    var isTLS = false
}

/// Builds the request head sent upstream from the one the client sent.
enum ForwardedRequest {
    /// The upstream request head: HTTP/1.1, the forwarded URI, hop-by-hop headers removed, the body framed as
    /// it arrived, and the `X-Forwarded-*`, `X-Real-IP` and `Via` headers set. `Host` is set per attempt, since
    /// it may depend on the target (see `settingHost`).
    static func makeHead(
        from request: HTTPRequestHead,
        uri: String,
        originalPath: Substring,
        client: ClientSide,
        isUpgrade: Bool
    ) -> HTTPRequestHead {
        var headers = request.headers
        let isChunked = headers[canonicalForm: "transfer-encoding"].last?.lowercased() == "chunked"
        let clientHost = headers.first(name: "host")
        HeaderRewriting.removeHopByHop(from: &headers, keepUpgrade: isUpgrade)
        headers.remove(name: "expect")
        headers.remove(name: "host")
        if isChunked { headers.add(name: "transfer-encoding", value: "chunked") }

        let trusted = client.peerIsTrusted
        let forwardedFor = headers[canonicalForm: "x-forwarded-for"]
        let previous = forwardedFor.isEmpty ? nil : forwardedFor.joined(separator: ", ")
        headers.replaceOrAdd(
            name: "x-forwarded-for",
            value: previous.map { $0 + ", " + client.peerAddress } ?? client.peerAddress
        )
        headers.replaceOrAdd(name: "x-real-ip", value: client.address)
        Self.setForwarded(&headers, name: "x-forwarded-proto", trusted: trusted) { client.isTLS ? "https" : "http" }
        Self.setForwarded(&headers, name: "x-forwarded-host", trusted: trusted) {
            clientHost.map { String(HostHeader.hostname(of: $0[...])) } ?? ""
        }
        Self.setForwarded(&headers, name: "x-forwarded-port", trusted: trusted) { String(client.serverPort) }
        Self.setForwarded(&headers, name: "x-forwarded-path", trusted: trusted) { String(originalPath) }
        HeaderRewriting.appendVia(to: &headers)
        return HTTPRequestHead(version: .http1_1, method: request.method, uri: uri, headers: headers)
    }

    /// Keeps a trusted peer's value of an `X-Forwarded-*` header; otherwise sets the gateway's own.
    private static func setForwarded(
        _ headers: inout HTTPHeaders,
        name: String,
        trusted: Bool,
        value: () -> String
    ) {
        if trusted, headers.contains(name: name) { return }
        let own = value()
        if own.isEmpty {
            headers.remove(name: name)
        } else {
            headers.replaceOrAdd(name: name, value: own)
        }
    }

    /// `head` with its `Host` header set for one attempt.
    static func settingHost(_ host: String, on head: HTTPRequestHead) -> HTTPRequestHead {
        var head = head
        head.headers.replaceOrAdd(name: "host", value: host)
        return head
    }
}

/// Parsing of `Host` header values.
enum HostHeader {
    /// The host name of a `Host` value, without its port (`example.com:8000` → `example.com`,
    /// `[::1]:80` → `[::1]`).
    static func hostname(of value: Substring) -> Substring {
        if value.first == "[" {
            guard let close = value.firstIndex(of: "]") else { return value }
            return value[...close]
        }
        guard let colon = value.lastIndex(of: ":") else { return value }
        return value[..<colon]
    }
}
