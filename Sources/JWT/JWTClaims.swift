/// A typed view of a token's claims (its payload).
///
/// The accessors return `nil` when a claim is missing or has another type; `subscript` gives the raw value.
public struct JWTClaims: Sendable, Hashable {
    /// Every claim.
    public let fields: [String: JSONValue]

    /// Creates claims from their members.
    public init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// `iss`: who issued the token.
    public var iss: String? { self.fields["iss"]?.stringValue }

    /// `sub`: whom the token is about.
    public var sub: String? { self.fields["sub"]?.stringValue }

    /// `aud`: the audiences, whether written as one string or an array of strings; `nil` when missing or
    /// of another type.
    public var aud: [String]? {
        switch self.fields["aud"] {
        case .string(let audience):
            return [audience]
        case .array(let elements):
            let audiences = elements.compactMap(\.stringValue)
            return audiences.count == elements.count ? audiences : nil
        default:
            return nil
        }
    }

    /// `exp`: expiration time in seconds since 1970.
    public var exp: Double? { self.fields["exp"]?.numberValue }

    /// `nbf`: not-before time in seconds since 1970.
    public var nbf: Double? { self.fields["nbf"]?.numberValue }

    /// `iat`: issued-at time in seconds since 1970.
    public var iat: Double? { self.fields["iat"]?.numberValue }

    /// `scope`: space-separated scopes, as OAuth 2.0 writes them.
    public var scope: String? { self.fields["scope"]?.stringValue }

    /// A claim by name.
    public subscript(name: String) -> JSONValue? { self.fields[name] }
}
