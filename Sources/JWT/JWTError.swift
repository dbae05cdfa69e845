/// An error from parsing, verifying, validating or signing a token.
///
/// Like PostgresNIO's `PSQLError`: `code` says what went wrong and is safe to switch over; `description` is
/// generic so that printing the error never leaks a token, a key or a claim value; `debugDescription` adds the
/// detail for logs that may hold it.
public struct JWTError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong. New codes may be added without breaking anyone.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case malformedToken
            case invalidBase64
            case invalidJSON
            case algorithmNotAllowed
            case algorithmMismatch
            case keyMismatch
            case invalidKey
            case invalidSignature
            case invalidClaim
            case expired
            case notYetValid
            case invalidIssuer
            case invalidAudience
            case expirationTooFar
            case signingFailed
        }

        let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The token does not have three dot-separated segments, or a segment is empty where it may not be.
        public static let malformedToken = Self(.malformedToken)
        /// A segment is not unpadded base64url.
        public static let invalidBase64 = Self(.invalidBase64)
        /// The header or the claims are not a JSON object.
        public static let invalidJSON = Self(.invalidJSON)
        /// The header's `alg` is missing, `none`, or not one this module supports.
        public static let algorithmNotAllowed = Self(.algorithmNotAllowed)
        /// The header's `alg` differs from the algorithm the caller expects.
        public static let algorithmMismatch = Self(.algorithmMismatch)
        /// The key's kind does not fit the algorithm (a secret for RS256, an RSA key for ES256, ...).
        public static let keyMismatch = Self(.keyMismatch)
        /// The key material cannot be read (bad PEM, bad JWK, empty secret).
        public static let invalidKey = Self(.invalidKey)
        /// The signature does not verify.
        public static let invalidSignature = Self(.invalidSignature)
        /// A registered claim that must be checked is missing or has the wrong type.
        public static let invalidClaim = Self(.invalidClaim)
        /// `exp` has passed.
        public static let expired = Self(.expired)
        /// `nbf` has not been reached.
        public static let notYetValid = Self(.notYetValid)
        /// `iss` differs from the expected issuer.
        public static let invalidIssuer = Self(.invalidIssuer)
        /// `aud` does not contain the expected audience.
        public static let invalidAudience = Self(.invalidAudience)
        /// `exp` lies further in the future than the maximum expiration allows.
        public static let expirationTooFar = Self(.expirationTooFar)
        /// libjwt could not produce a token.
        public static let signingFailed = Self(.signingFailed)

        /// The code's name, such as `expired`.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// For claim errors, the name of the claim that failed (`exp`, `nbf`, `iss`, `aud`); `nil` otherwise.
    public var claim: String?
    /// Detail for debugging; may name values from the token, so it only appears in `debugDescription`.
    public var detail: String?
    /// The file that threw the error.
    public var file: String
    /// The line that threw the error.
    public var line: Int

    /// Creates an error.
    public init(_ code: Code, claim: String? = nil, detail: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.claim = claim
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// For claim errors, Kong 3.x's message for the claim, as in its body `{"exp":"token expired"}`.
    public var claimMessage: String? {
        switch self.code.base {
        case .expired: "token expired"
        case .notYetValid: "token not valid yet"
        case .invalidClaim: "must be a number"
        case .expirationTooFar: "exceeds maximum allowed expiration"
        case .invalidIssuer: "invalid issuer"
        case .invalidAudience: "invalid audience"
        default: nil
        }
    }

    /// A generic description that leaks nothing from the token or the key.
    public var description: String {
        if let claim = self.claim {
            return "JWTError(code: \(self.code), claim: \(claim))"
        }
        return "JWTError(code: \(self.code))"
    }

    /// The description with the detail and where the error was thrown.
    public var debugDescription: String {
        var text = "JWTError(code: \(self.code)"
        if let claim = self.claim { text += ", claim: \(claim)" }
        if let detail = self.detail { text += ", detail: \(detail)" }
        return text + ", file: \(self.file), line: \(self.line))"
    }
}

extension JWTError: Equatable {
    /// Errors are equal when their code and claim are; the detail and location are ignored.
    public static func == (lhs: JWTError, rhs: JWTError) -> Bool {
        lhs.code == rhs.code && lhs.claim == rhs.claim
    }
}
