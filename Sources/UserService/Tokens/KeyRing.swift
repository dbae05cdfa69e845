import Foundation
import JWT
import Logging
import NIOConcurrencyHelpers
import ServiceKit

/// The service's signing keys, loaded from the database: the newest current key signs; every key that may still
/// have valid tokens out there is published in the key set and verifies. A key stays published for `retention`
/// after it was retired (the access-token lifetime plus the reload interval, during which an instance that has
/// not reloaded yet still signs with it), then it is deleted.
///
/// Keys are made at first start (`ensureKey`) and by `acme users keys rotate` (`rotate`), which may run in another
/// process: instances reload the ring every `reloadInterval` (`KeyRingReloader`) and when a token names an
/// unknown key.
public final class KeyRing: VerificationKeys {
    struct LoadedKey {
        let record: SigningKeyRecord
        let privateKey: JWTKey
        let verification: VerificationKey
    }

    private struct State {
        var keys: [LoadedKey] = []
        var lastReload: ContinuousClock.Instant?
    }

    private let store: any UserStore
    /// How long a retired key stays published.
    public let retention: Duration
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox(State())
    private let minimumReloadInterval: Duration = .seconds(2)

    /// A ring on `store`'s keys. `now` is the clock (tests move it).
    public init(store: any UserStore, retention: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.retention = retention
        self.now = now
    }

    /// Makes the first key when the database has none (two processes starting at once make one), then loads.
    public func ensureKey(algorithm: JWTAlgorithm) async throws {
        if try await self.store.signingKeys().contains(where: { $0.retiredAt == nil }) == false {
            let key = try SigningKeyRecord.generate(algorithm: algorithm, now: Timestamp.milliseconds(self.now()))
            _ = try await self.store.addSigningKey(key, onlyIfNone: true)
        }
        try await self.reload()
    }

    /// Makes a new current key and retires the others (they stay published for `retention`); returns the new kid.
    @discardableResult
    public func rotate(algorithm: JWTAlgorithm) async throws -> String {
        let key = try SigningKeyRecord.generate(algorithm: algorithm, now: Timestamp.milliseconds(self.now()))
        _ = try await self.store.addSigningKey(key, onlyIfNone: false)
        try await self.reload()
        return key.kid
    }

    /// Reads the keys again, deleting those retired longer than `retention` ago.
    public func reload() async throws {
        let cutoff = Timestamp.milliseconds(self.now()) - Self.milliseconds(self.retention)
        try await self.store.deleteSigningKeys(retiredBefore: cutoff)
        let records = try await self.store.signingKeys()
        let loaded = try records.map { record in
            LoadedKey(
                record: record, privateKey: try JWTKey.privateKey(pem: record.privatePEM),
                verification: VerificationKey(
                    kid: record.kid, algorithm: record.algorithm, key: try JWTKey(jwk: record.publicJWK)))
        }
        self.state.withLockedValue {
            $0.keys = loaded
            $0.lastReload = .now
        }
    }

    /// The key that signs now: the newest current one.
    ///
    /// - Throws: `Problem` 503 when there is none (the ring was never loaded).
    func signingKey() throws -> LoadedKey {
        guard let key = self.state.withLockedValue({ $0.keys.first { $0.record.retiredAt == nil } ?? $0.keys.first })
        else { throw Problem.unavailable("no signing key") }
        return key
    }

    /// The published key set: the current key and the retired ones within `retention`.
    public func keySet() -> JWKSet {
        JWKSet(keys: self.published().map(\.record.publicJWK))
    }

    public func keys(kid: String?) async throws -> [VerificationKey] {
        var matching = self.published().filter { kid == nil || $0.record.kid == kid }
        let mayReload = self.state.withLockedValue { state in
            state.lastReload.map { ContinuousClock.now - $0 >= self.minimumReloadInterval } ?? true
        }
        if matching.isEmpty, mayReload {
            try await self.reload()
            matching = self.published().filter { kid == nil || $0.record.kid == kid }
        }
        return matching.map(\.verification)
    }

    private func published() -> [LoadedKey] {
        let cutoff = Timestamp.milliseconds(self.now()) - Self.milliseconds(self.retention)
        return self.state.withLockedValue { $0.keys }.filter { key in
            key.record.retiredAt.map { $0 >= cutoff } ?? true
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
