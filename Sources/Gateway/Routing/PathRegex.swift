/// A route's regex path (`~/orders/\d+` in the configuration), compiled once and matched at the start of
/// the normalised request path, as Kong anchors its regex paths with `^`.
///
/// `@unchecked Sendable` because `Regex` is not declared `Sendable` (its output type may hold anything),
/// while this wrapper only ever uses it as an immutable compiled program: `Regex<AnyRegexOutput>` is a value
/// whose program is built lazily with an atomic initialisation, and `init` forces that build before the value
/// is shared, so concurrent matching only reads it.
public struct PathRegex: @unchecked Sendable, CustomStringConvertible {
    /// The expression as written, without the leading `~`.
    public let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; throws the parser's error when it is not a valid expression.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        // Unicode-scalar semantics, as PCRE matches code points rather than grapheme clusters.
        self.regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        _ = try? self.regex.prefixMatch(in: "")
    }

    /// The length in UTF-8 bytes of the match starting at the beginning of `path`, or nil when there is none.
    public func prefixMatchLength(in path: Substring) -> Int? {
        // A regex without custom components cannot throw while matching; a failure would be no match.
        guard let match = try? self.regex.prefixMatch(in: path) else { return nil }
        return path.utf8.distance(from: path.startIndex, to: match.range.upperBound)
    }

    public var description: String { "~" + self.pattern }
}
