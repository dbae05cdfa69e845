import JWT
import NIOConcurrencyHelpers

/// Tokens already verified, until they expire: a token seen again costs a hash-table lookup, no cryptography.
/// The table is keyed by the token itself (hashed with the standard library's seeded SipHash, then compared whole),
/// so no two tokens can share an entry; hashing it that way costs a small fraction of a SHA-256 through OpenSSL 3.
/// Bounded: when full, expired entries go first, then an arbitrary half.
final class VerifiedTokenCache<Outcome: Sendable>: Sendable {
    struct Entry: Sendable {
        let outcome: Outcome
        let claims: JWTClaims
        /// Seconds since 1970 after which the entry is not used.
        let expiresAt: Double
    }

    /// Tokens without `exp` are kept this long (seconds).
    static var ttlWithoutExpiry: Double { 300 }

    private let capacity: Int
    private let entries: NIOLockedValueBox<[Substring: Entry]>

    init(capacity: Int = 10_000) {
        self.capacity = capacity
        self.entries = NIOLockedValueBox([:])
    }

    /// The entry for `token` if it has not expired at `now`.
    func entry(_ token: Substring, now: Double) -> Entry? {
        guard let entry = self.entries.withLockedValue({ $0[token] }), entry.expiresAt > now else { return nil }
        return entry
    }

    /// Remembers a verified token until its `exp` (or `ttlWithoutExpiry` when it has none).
    func insert(_ token: Substring, outcome: Outcome, claims: JWTClaims, now: Double) {
        let expiresAt = claims.exp ?? (now + Self.ttlWithoutExpiry)
        guard expiresAt > now else { return }
        let entry = Entry(outcome: outcome, claims: claims, expiresAt: expiresAt)
        self.entries.withLockedValue { entries in
            if entries.count >= self.capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= self.capacity / 2 {
                    entries = Dictionary(uniqueKeysWithValues: entries.prefix(self.capacity / 2).map { ($0.key, $0.value) })
                }
            }
            // A copy of its own, so the entry does not keep the request's header value alive.
            entries[Substring(String(token))] = entry
        }
    }
}
