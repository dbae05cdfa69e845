import COpenSSL

/// The SHA-256 digest of a compact token: what a cache of verified tokens is keyed by, so it never holds the
/// tokens themselves and a lookup costs one digest and no allocation.
public struct JWTFingerprint: Hashable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The fingerprint of `token` as received.
    public init(_ token: Substring) {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var token = token
        token.withUTF8 { bytes in
            withUnsafeMutableBytes(of: &digest) { output in
                _ = SHA256(bytes.baseAddress, bytes.count, output.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        self.words = digest
    }

    public static func == (lhs: JWTFingerprint, rhs: JWTFingerprint) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.words.0)
        hasher.combine(self.words.1)
    }
}
