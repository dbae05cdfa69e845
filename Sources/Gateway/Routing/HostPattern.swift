/// One entry of a route's `hosts`: an exact name, a leading wildcard (`*.example.com`) or a trailing wildcard
/// (`example.*`). A wildcard stands for one or more characters, dots included, as in Kong.
enum HostPattern: Hashable, Sendable {
    case exact(Substring)
    /// `*.example.com`, stored as `.example.com`.
    case suffix(Substring)
    /// `example.*`, stored as `example.`.
    case prefix(Substring)

    /// Parses a configured host (lower-cased by the loader; lower-cased again here for safety).
    init(_ host: String) {
        let host = Substring(host.lowercased())
        if host.utf8.first == UInt8(ascii: "*") {
            self = .suffix(host.dropFirst())
        } else if host.utf8.last == UInt8(ascii: "*") {
            self = .prefix(host.dropLast())
        } else {
            self = .exact(host)
        }
    }

    var isWildcard: Bool {
        if case .exact = self { return false }
        return true
    }

    /// Whether `host`, a request host as `HostPattern.requestKey` returns it, matches this pattern.
    func matches(_ host: Substring) -> Bool {
        let utf8 = host.utf8
        switch self {
        case .exact(let name):
            return utf8.elementsEqual(name.utf8)
        case .suffix(let suffix):
            return utf8.count > suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
        case .prefix(let prefix):
            return utf8.count > prefix.utf8.count && utf8.starts(with: prefix.utf8)
        }
    }

    /// The request's `Host` header as routes see it: without its port (`[::1]:8000` → `[::1]`) and lower-cased.
    /// Allocates only when the header has upper-case letters.
    static func requestKey(_ host: String) -> Substring {
        let utf8 = host.utf8
        let end: String.Index
        if utf8.first == UInt8(ascii: "[") {
            end = utf8.firstIndex(of: UInt8(ascii: "]")).map { utf8.index(after: $0) } ?? utf8.endIndex
        } else {
            end = utf8.firstIndex(of: UInt8(ascii: ":")) ?? utf8.endIndex
        }
        let name = host[..<end]
        let hasUpperCase = name.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        return hasUpperCase ? Substring(name.lowercased()) : name
    }
}
