import Foundation

/// Hides secrets in configuration values before the admin API shows them: the value of any field whose name says
/// it holds a secret (`password`, `secret`, `key`, `rsa_public_key`, `client_secret`, `token`, `*_password`, ...),
/// and the password in a URL's user information (`redis://:hunter2@host` becomes `redis://:<redacted>@host`).
/// Booleans and numbers stay (`secret_is_base64: true` tells nothing).
enum SecretRedaction {
    /// What a hidden value is replaced with.
    static let placeholder = "<redacted>"

    /// `value` with every secret replaced by `placeholder`, recursively.
    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(
                members.map { member in
                    guard Self.isSecret(field: member.key) else {
                        return JSONMember(key: member.key, value: Self.redacted(member.value))
                    }
                    return JSONMember(key: member.key, value: Self.hidden(member.value))
                }
            )
        case .array(let items):
            return .array(items.map(Self.redacted))
        case .string(let string):
            return .string(Self.redactingURLPassword(string))
        case .null, .bool, .integer, .number:
            return value
        }
    }

    /// Whether a field of this name holds a secret.
    static func isSecret(field name: String) -> Bool {
        let name = name.lowercased().replacingOccurrences(of: "-", with: "_")
        if Self.secretFields.contains(name) { return true }
        return Self.secretSuffixes.contains { name.hasSuffix($0) }
    }

    private static let secretFields: Set<String> = [
        "key", "secret", "password", "token", "credential", "credentials", "authorization", "passphrase",
    ]
    private static let secretSuffixes = ["_key", "_secret", "_password", "_token", "_passphrase"]

    /// Strings and the strings in arrays and objects become the placeholder; other values stay.
    private static func hidden(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string: return .string(Self.placeholder)
        case .array(let items): return .array(items.map(Self.hidden))
        case .object(let members): return .object(members.map { JSONMember(key: $0.key, value: Self.hidden($0.value)) })
        case .null, .bool, .integer, .number: return value
        }
    }

    /// `scheme://user:password@host...` with the password replaced; any other string as it is.
    static func redactingURLPassword(_ string: String) -> String {
        guard let schemeEnd = string.range(of: "://") else { return string }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd =
            string[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? string.endIndex
        let authority = string[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return string }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return string }
        return String(string[..<userInfo.index(after: colon)]) + Self.placeholder + String(string[at...])
    }
}
