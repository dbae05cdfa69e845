/// A request's `Origin` as Kong's cors compares it (LuaSocket's `url.parse`): `scheme://host[:port]`, without
/// user information, a path or the scheme's default port; the whole text when it has no `//authority` (`null`).
///
/// Unlike Kong, an IPv6 host keeps its brackets in `domain` (`http://[::1]:8080`, as browsers send it).
struct CORSOrigin {
    /// What `Access-Control-Allow-Origin` says when the origin is allowed; a slice of the origin itself unless
    /// user information had to be left out.
    let domain: Substring
    /// The host alone (an IPv6 address without brackets): what a regex without a colon is matched against.
    let host: Substring

    init(_ origin: String) {
        let whole = origin[...]
        let text = whole.firstIndex(of: "#").map { whole[..<$0] } ?? whole
        let afterScheme = Self.schemeEnd(of: text)
        let rest = text[(afterScheme ?? text.startIndex)...]
        guard rest.hasPrefix("//") else {
            self.domain = whole
            self.host = whole
            return
        }
        let authorityStart = rest.index(rest.startIndex, offsetBy: 2)
        let authorityEnd = rest[authorityStart...].firstIndex(of: "/") ?? rest.endIndex
        let authority = text[authorityStart..<authorityEnd]
        let at = authority.firstIndex(of: "@")
        let hostStart = at.map { authority.index(after: $0) } ?? authorityStart
        var hostEnd = authorityEnd
        var port: Substring?
        if let colon = text[hostStart..<authorityEnd].lastIndex(of: ":"), !text[colon..<authorityEnd].contains("]") {
            port = text[text.index(after: colon)..<authorityEnd]
            hostEnd = colon
        }
        guard hostStart < hostEnd else {
            self.domain = whole
            self.host = whole
            return
        }
        let host = text[hostStart..<hostEnd]
        if host.count > 2, host.first == "[", host.last == "]" {
            self.host = host.dropFirst().dropLast()
        } else {
            self.host = host
        }
        let scheme = afterScheme.map { text[..<text.index(before: $0)] }
        let defaultPort = (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
        let domainEnd = defaultPort ? hostEnd : authorityEnd
        if let scheme, at != nil {
            let built = String(scheme) + "://" + String(text[hostStart..<domainEnd])
            self.domain = built[...]
        } else {
            self.domain = text[(scheme == nil ? hostStart : text.startIndex)..<domainEnd]
        }
    }

    /// `domain` as a header value: the request's own string when it is the whole of it.
    var domainValue: String {
        self.domain.startIndex == self.domain.base.startIndex && self.domain.endIndex == self.domain.base.endIndex
            ? self.domain.base : String(self.domain)
    }

    /// Where the text after `scheme:` starts, when `text` begins with a scheme (`[A-Za-z0-9][A-Za-z0-9+.-]*:`).
    private static func schemeEnd(of text: Substring) -> Substring.Index? {
        guard let first = text.utf8.first, Self.isAlphanumeric(first) else { return nil }
        guard let end = text.utf8.dropFirst().firstIndex(where: { !Self.isSchemeByte($0) }),
            text.utf8[end] == UInt8(ascii: ":")
        else { return nil }
        return text.utf8.index(after: end)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        Self.isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
