/// The JOSE header of a token, as read before any verification.
public struct JWTHeader: Sendable, Hashable {
    /// Every member of the header.
    public let fields: [String: JSONValue]

    /// Creates a header from its members.
    public init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// The `alg` member as written, which may be `none` or unknown; `nil` when missing or not a string.
    public var alg: String? { self.fields["alg"]?.stringValue }

    /// The `kid` member: which key signed the token.
    public var kid: String? { self.fields["kid"]?.stringValue }

    /// The `typ` member, usually `JWT`.
    public var typ: String? { self.fields["typ"]?.stringValue }

    /// The algorithm named by `alg`, or `nil` for `none`, unknown names and a missing `alg`.
    public var algorithm: JWTAlgorithm? { self.alg.flatMap(JWTAlgorithm.init(name:)) }

    /// A header member by name.
    public subscript(name: String) -> JSONValue? { self.fields[name] }
}
