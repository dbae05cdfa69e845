/// The parts of a request-target (RFC 9112 3.2): origin form `/path?query`, or absolute form
/// `http://host:port/path?query` as a client talking to a proxy may send.
struct RequestTarget {
    var path: Substring
    /// The query without its `?`, byte for byte; empty when the target ends in `?`, nil when it has none.
    var query: Substring?
    /// The authority of an absolute-form target, which stands in for `Host`.
    var host: Substring?

    init?(_ uri: String) {
        var rest = uri[...]
        if rest.first != "/" {
            guard let schemeEnd = rest.range(of: "://"),
                ["http", "https"].contains(rest[..<schemeEnd.lowerBound].lowercased())
            else { return nil }
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            // An http URI with an empty host is invalid (RFC 9110 4.2.1).
            guard authorityEnd > rest.startIndex else { return nil }
            self.host = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
            if rest.isEmpty || rest.first == "?" { rest = "/" + rest }
        }
        if let mark = rest.firstIndex(of: "?") {
            self.path = rest[..<mark]
            self.query = rest[rest.index(after: mark)...]
        } else {
            self.path = rest
            self.query = nil
        }
    }
}

extension Substring {
    fileprivate func range(of needle: String) -> Range<Index>? {
        self.firstRange(of: needle)
    }
}
