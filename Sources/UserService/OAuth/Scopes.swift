/// Scope strings (RFC 6749 section 3.3): space-separated, case-sensitive.
enum Scopes {
    /// The scope to grant `client` when it asks for `requested`: all of its scopes when it asks for none; what it
    /// asks when every scope asked is one of its own.
    ///
    /// - Throws: `OAuthError` `invalid_scope` naming the first scope the client may not have.
    static func grant(_ requested: String?, allowed: [String]) throws -> String {
        guard let requested else { return allowed.joined(separator: " ") }
        let asked = Self.split(requested)
        if let refused = asked.first(where: { !allowed.contains($0) }) {
            throw OAuthError.invalidScope("scope \(refused) is not allowed for this client")
        }
        return Self.unique(asked).joined(separator: " ")
    }

    /// The scope to grant on refresh: the original, or a part of it (RFC 6749 section 6).
    ///
    /// - Throws: `OAuthError` `invalid_scope` when asking for more than the original.
    static func narrow(_ requested: String?, original: String) throws -> String {
        guard let requested else { return original }
        let granted = Self.split(original)
        let asked = Self.split(requested)
        if let refused = asked.first(where: { !granted.contains($0) }) {
            throw OAuthError.invalidScope("scope \(refused) was not granted originally")
        }
        return Self.unique(asked).joined(separator: " ")
    }

    static func split(_ scope: String) -> [String] {
        scope.split(separator: " ").map(String.init)
    }

    private static func unique(_ scopes: [String]) -> [String] {
        var seen: Set<String> = []
        return scopes.filter { seen.insert($0).inserted }
    }
}
