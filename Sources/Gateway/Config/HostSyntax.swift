/// Syntax of host names, IP addresses, `host[:port]` authorities, URL paths and HTTP tokens, as configuration
/// values use them.
enum HostSyntax {
    /// A parsed `host[:port]`.
    struct Authority: Hashable {
        /// The host; an IPv6 address without its brackets.
        var host: String
        var port: Int?
        /// The host as written in an authority: an IPv6 address in brackets.
        var bracketedHost: String { self.host.contains(":") ? "[\(self.host)]" : self.host }
    }

    /// What is wrong with an authority.
    enum AuthorityError: Error {
        case host
        case port
    }

    /// Parses `host[:port]` where host is a DNS name, an IPv4 address or an IPv6 address in brackets, and port is
    /// 1...65535.
    static func authority(_ text: Substring) -> Result<Authority, AuthorityError> {
        let host: Substring
        let rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.host) }
            host = text[text.index(after: text.startIndex)..<close]
            guard self.isIPv6(host) else { return .failure(.host) }
            rest = text[text.index(after: close)...]
        } else {
            let colon = text.firstIndex(of: ":") ?? text.endIndex
            host = text[..<colon]
            guard self.isIPv4(host) || self.isDNSName(host) else { return .failure(.host) }
            rest = text[colon...]
        }
        guard !rest.isEmpty else { return .success(Authority(host: String(host), port: nil)) }
        let digits = rest.dropFirst()
        guard rest.first == ":", (1...5).contains(digits.count), digits.allSatisfy(\.isASCIIDigit),
            let port = Int(digits), (1...65_535).contains(port)
        else { return .failure(.port) }
        return .success(Authority(host: String(host), port: port))
    }

    /// A DNS name: dot-separated labels of letters, digits, `-` (not first or last) and `_`, 1 to 63 characters
    /// each, 253 in all, the last not all digits.
    static func isDNSName(_ text: Substring) -> Bool {
        guard (1...253).contains(text.utf8.count) else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        let isLabel = { (label: Substring) in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
        return labels.allSatisfy(isLabel) && !labels.last!.allSatisfy(\.isASCIIDigit)
    }

    /// A dotted-quad IPv4 address without leading zeros.
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
                    && (part.count == 1 || !part.hasPrefix("0"))
            }
    }

    /// An IPv6 address in RFC 4291 text form (`::` at most once, an IPv4 tail allowed), without brackets or zone.
    static func isIPv6(_ text: Substring) -> Bool {
        guard let gap = text.firstRange(of: "::") else { return self.ipv6GroupCount(text, ipv4Tail: true) == 8 }
        let tail = text[gap.upperBound...]
        guard tail.firstRange(of: "::") == nil,
            let before = self.ipv6GroupCount(text[..<gap.lowerBound], ipv4Tail: false),
            let after = self.ipv6GroupCount(tail, ipv4Tail: true)
        else { return false }
        return before + after <= 7
    }

    /// How many 16-bit groups `text` (colon-separated, no `::`) holds, an IPv4 tail (when allowed) counting two;
    /// nil if invalid.
    private static func ipv6GroupCount(_ text: Substring, ipv4Tail: Bool) -> Int? {
        guard !text.isEmpty else { return 0 }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (index, group) in groups.enumerated() {
            if ipv4Tail, index == groups.count - 1, self.isIPv4(group) {
                count += 2
            } else if (1...4).contains(group.count), group.allSatisfy(\.isASCIIHexDigit) {
                count += 1
            } else {
                return nil
            }
        }
        return count
    }

    /// A route host pattern: an exact host (DNS name or IPv4 address), `*.example.com` or `example.*`.
    static func isHostPattern(_ text: Substring) -> Bool {
        if text.hasPrefix("*.") { return self.isDNSName(text.dropFirst(2)) }
        if text.hasSuffix(".*") { return self.isDNSName(text.dropLast(2)) }
        return self.isIPv4(text) || self.isDNSName(text)
    }

    /// A URL path (RFC 3986 `path-abempty`): `/`-separated segments of unreserved characters, sub-delimiters,
    /// `:`, `@` and `%HH` escapes.
    static func isURLPath(_ text: Substring) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
        var rest = text
        while let character = rest.popFirst() {
            if character == "%" {
                guard rest.prefix(2).count == 2, rest.prefix(2).allSatisfy(\.isASCIIHexDigit) else { return false }
                rest = rest.dropFirst(2)
            } else if !allowed.contains(character) {
                return false
            }
        }
        return text.isEmpty || text.hasPrefix("/")
    }

    /// An HTTP token (RFC 9110): method and header names.
    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.allSatisfy { character in
                character.isASCII && (character.isLetter || character.isNumber || "!#$%&'*+-.^_`|~".contains(character))
            }
    }
}

extension Character {
    fileprivate var isASCIIHexDigit: Bool { self.isASCII && self.isHexDigit }
}
