/// A compact JWS token split and decoded, but not verified.
///
/// Read `header` to pick the key (`kid`) or the credential (`iss`) before verifying with `JWTVerifier`.
/// Nothing read here may be trusted until the signature has been verified.
public struct JWTToken: Sendable, Hashable {
    /// The token as received.
    public let compact: String
    /// The decoded header.
    public let header: JWTHeader
    /// The decoded claims.
    public let claims: JWTClaims
    /// The bytes the signature covers: the first two segments and the dot between them.
    public let signingInput: Substring
    /// The decoded signature.
    public let signature: [UInt8]

    /// Splits and decodes `compact`.
    ///
    /// - Throws: `JWTError` with `.malformedToken` unless there are exactly three segments and the first two are
    ///   not empty, `.invalidBase64` for a segment that is not unpadded base64url, `.invalidJSON` for a header or
    ///   claims segment that is not a JSON object.
    public init(parsing compact: String) throws {
        let segments = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else {
            throw JWTError(.malformedToken, detail: "\(segments.count) segments, expected 3")
        }
        guard !segments[0].isEmpty, !segments[1].isEmpty else {
            throw JWTError(.malformedToken, detail: "empty header or claims segment")
        }
        self.compact = compact
        self.header = JWTHeader(fields: try Self.object(segments[0], name: "header"))
        self.claims = JWTClaims(fields: try Self.object(segments[1], name: "claims"))
        self.signingInput = compact[segments[0].startIndex..<segments[1].endIndex]
        guard let signature = Base64URL.decode(segments[2]) else {
            throw JWTError(.invalidBase64, detail: "signature")
        }
        self.signature = signature
    }

    private static func object(_ segment: Substring, name: String) throws -> [String: JSONValue] {
        guard let bytes = Base64URL.decode(segment) else {
            throw JWTError(.invalidBase64, detail: name)
        }
        guard let object = JSONText.parseObject(bytes) else {
            throw JWTError(.invalidJSON, detail: name)
        }
        return object
    }
}
