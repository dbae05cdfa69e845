import Gateway
import NIOHTTP1

/// Finds the tokens a request carries where Kong's `jwt` looks: the query parameters, the cookies, and the
/// `Bearer` headers, in that order, duplicates counted once.
struct JWTTokenSource: Sendable {
    let uriParamNames: [String]
    let cookieNames: [String]
    let headerNames: [String]

    /// The distinct tokens found: none, one, or several (which Kong refuses).
    func tokens(in request: PluginRequest) -> [Substring] {
        var tokens: [Substring] = []
        func add(_ token: Substring) {
            if !token.isEmpty, !tokens.contains(token) { tokens.append(token) }
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
        return tokens
    }

    /// What follows `Bearer` (or `bearer`) and whitespace, as Kong's `\s*[Bb]earer\s+(.+)`.
    static func bearerToken(_ value: Substring) -> Substring? {
        var rest = value[...]
        while let start = rest.firstIndex(where: { $0 == "B" || $0 == "b" }) {
            let word = rest[start...]
            if word.dropFirst().hasPrefix("earer") {
                let afterWord = word.dropFirst(6)
                let token = afterWord.drop { $0 == " " || $0 == "\t" }
                if token.startIndex > afterWord.startIndex, !token.isEmpty { return token }
            }
            rest = rest[rest.index(after: start)...]
        }
        return nil
    }
}
