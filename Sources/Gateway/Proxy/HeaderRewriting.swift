import NIOHTTP1

/// The header edits the gateway makes on the way through, in place on the `HTTPHeaders` that arrived.
enum HeaderRewriting {
    /// Headers that describe one connection, never forwarded (RFC 9110 7.6.1). `Transfer-Encoding` is handled
    /// apart: the gateway re-frames bodies itself.
    static let hopByHop: [String] = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade",
    ]

    /// Prefixes of headers that only the gateway may set: they say who the caller is.
    static let callerIdentityPrefixes: [String] = ["x-consumer-", "x-credential-", "x-authenticated-"]

    /// Removes `X-Consumer-*`, `X-Credential-*` and `X-Authenticated-*` sent by the client.
    static func removeCallerIdentity(from headers: inout HTTPHeaders) {
        var names: [String] = []
        for (name, _) in headers where name.utf8.first == UInt8(ascii: "x") || name.utf8.first == UInt8(ascii: "X") {
            if Self.callerIdentityPrefixes.contains(where: { name.hasCaseInsensitivePrefix($0) }) {
                names.append(name)
            }
        }
        for name in names { headers.remove(name: name) }
    }

    /// Removes hop-by-hop headers and every header the `Connection` header names, except `Content-Length`: it frames
    /// the body the gateway forwards as it came, and without it the receiver would read that body as the next
    /// message (request smuggling). With `keepUpgrade`, `Upgrade` and `Connection: upgrade` stay (a WebSocket
    /// handshake).
    static func removeHopByHop(from headers: inout HTTPHeaders, keepUpgrade: Bool = false) {
        // Most messages carry none: one pass to find out, before any removal (each is a pass of its own).
        guard headers.contains(where: { Self.isHopByHop($0.name) }) else { return }
        let listed = headers[canonicalForm: "connection"]
        for token in listed {
            let name = token.lowercased()
            if name != "close", name != "keep-alive", name != "content-length", !(keepUpgrade && name == "upgrade") {
                headers.remove(name: name)
            }
        }
        for name in Self.hopByHop where !(keepUpgrade && (name == "upgrade" || name == "connection")) {
            headers.remove(name: name)
        }
        if keepUpgrade { headers.replaceOrAdd(name: "connection", value: "upgrade") }
    }

    /// Whether `name` is one of `hopByHop`, ASCII case-insensitively.
    static func isHopByHop(_ name: String) -> Bool {
        let length = name.utf8.count
        return Self.hopByHop.contains { $0.utf8.count == length && name.hasCaseInsensitivePrefix($0) }
    }

    /// Appends the gateway to a `Via` header.
    static func appendVia(to headers: inout HTTPHeaders) {
        let via = "1.1 " + GatewayVersion.product
        if let existing = headers.first(name: "via") {
            headers.replaceOrAdd(name: "via", value: existing + ", " + via)
        } else {
            headers.add(name: "via", value: via)
        }
    }
}

extension String {
    /// Whether the string starts with `prefix`, ASCII case-insensitively; `prefix` must be lower-case.
    func hasCaseInsensitivePrefix(_ prefix: String) -> Bool {
        var mine = self.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard var byte = mine.next() else { return false }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if byte != expected { return false }
        }
        return true
    }
}
