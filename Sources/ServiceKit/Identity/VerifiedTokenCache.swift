import Foundation
import NIOConcurrencyHelpers

/// Tokens that verified, remembered by their text until they expire, so that a caller's next requests cost no
/// cryptography (DESIGN.md: "a verified token is remembered until it expires"). At most `capacity` entries: when
/// full, the expired ones are dropped, and if none were, everything is (the next requests verify again).
final class VerifiedTokenCache: Sendable {
    private let entries = NIOLockedValueBox<[String: Caller]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The caller of `token` if it verified before and is still valid at `now` (with `leeway` seconds past `exp`).
    func caller(for token: String, now: Date, leeway: Double) -> Caller? {
        guard let caller = self.entries.withLockedValue({ $0[token] }) else { return nil }
        return now.timeIntervalSince(caller.expiresAt) < leeway ? caller : nil
    }

    /// Remembers that `token` verified as `caller`.
    func remember(_ token: String, as caller: Caller, now: Date) {
        self.entries.withLockedValue { entries in
            if entries.count >= self.capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = caller
        }
    }
}
