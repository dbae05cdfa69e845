import Gateway
import NIOHTTP1

/// Finds the tokens a request carries where Kong's `jwt` looks: the query parameters, the cookies, and the
/// `Bearer` headers, in that order, duplicates counted once.
struct JWTTokenSource: Sendable {
    let uriParamNames: [String]
    let cookieNames: [String]
    let headerNames: [String]

    /// What a request carries.
    enum Found {
        case none
        case one(Substring)
        /// Different tokens in different places, which Kong refuses.
        case several
    }

    /// The distinct tokens found.
    func tokens(in request: PluginRequest) -> Found {
        var found = Found.none
        func add(_ token: Substring) {
            guard !token.isEmpty else { return }
            switch found {
            case .none: found = .one(token)
            case .one(let first) where first != token: found = .several
            case .one, .several: break
            }
        }
        if !self.uriParamNames.isEmpty, let query = request.query {
            for name in self.uriParamNames {
                for value in QueryString.values(of: name, in: query) { add(value[...]) }
            }
        }
        if !self.cookieNames.isEmpty {
            for header in request.headers[canonicalForm: "cookie"] {
                for pair in header.split(separator: ";") {
                    let trimmed = pair.drop { $0 == " " }
                    guard let equals = trimmed.firstIndex(of: "=") else { continue }
                    if self.cookieNames.contains(where: { trimmed[..<equals] == $0 }) {
                        add(trimmed[trimmed.index(after: equals)...])
                    }
                }
            }
        }
        for name in self.headerNames {
            // Kong reads the first of repeated headers.
            if let value = request.headers.first(name: name), let token = Self.bearerToken(value[...]) { add(token) }
        }
        return found
    }

    /// What follows `Bearer` (or `bearer`) and whitespace, as Kong's `\s*[Bb]earer\s+(.+)`; read byte by byte.
    static func bearerToken(_ value: Substring) -> Substring? {
        let bytes = value.utf8
        var index = bytes.startIndex
        while let start = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "B") || $0 == UInt8(ascii: "b") }) {
            var cursor = bytes.index(after: start)
            if bytes[cursor...].starts(with: "earer".utf8) {
                cursor = bytes.index(cursor, offsetBy: 5)
                let tokenStart = bytes[cursor...].firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                if let tokenStart, tokenStart > cursor { return value[tokenStart...] }
            }
            index = bytes.index(after: start)
        }
        return nil
    }
}
