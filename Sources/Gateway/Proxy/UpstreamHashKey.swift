import Foundation
import NIOHTTP1

/// What a request hashes to under `consistent-hashing`: the upstream's `hash_on` input, or its `hash_fallback` when
/// the request lacks the first; nil when it lacks both (the pick is then round-robin).
enum UpstreamHashKey {
    /// The key of `exchange`, whose upstream head is made. A `cookie` input the request lacks gets a new random value,
    /// which is the key and which the response sets (`exchange.stickyCookie`).
    static func key(for exchange: ProxyExchange, upstream: Upstream) -> String? {
        if let key = self.value(of: upstream.hashOn, in: exchange) { return key }
        if case .cookie(let name, let path) = upstream.hashOn {
            let value = UUID().uuidString.lowercased()
            exchange.stickyCookie = "\(name)=\(value); Path=\(path)"
            return value
        }
        return self.value(of: upstream.hashFallback, in: exchange)
    }

    private static func value(of input: UpstreamHashInput, in exchange: ProxyExchange) -> String? {
        let headers = exchange.upstreamHead?.headers ?? exchange.request.headers
        switch input {
        case .none:
            return nil
        case .consumer:
            guard let request = exchange.pluginRequest else { return nil }
            return request.consumer?.username ?? request.identity?.userID
        case .ip:
            return exchange.client.address
        case .header(let name):
            let values = headers[name]
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .cookie(let name, _):
            return self.cookie(name, in: headers)
        case .path:
            return exchange.path
        case .queryArg(let name):
            guard let uri = exchange.upstreamHead?.uri, let mark = uri.firstIndex(of: "?") else { return nil }
            let values = QueryString.values(of: name, in: uri[uri.index(after: mark)...])
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
    }

    /// The value of the cookie `name` in the `Cookie` headers (RFC 6265 5.4: `name=value` pairs separated by `; `).
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers[canonicalForm: "cookie"] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                return String(trimmed[trimmed.index(after: equals)...])
            }
        }
        return nil
    }
}
