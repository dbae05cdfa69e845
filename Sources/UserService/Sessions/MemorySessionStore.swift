import Foundation
import NIOConcurrencyHelpers

/// `SessionStore` in this process' memory, the embedded default: entries expire by their deadline (checked on
/// read, and swept on writes once the store grows), and vanish with the process.
public final class MemorySessionStore: SessionStore {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private enum Value {
        case refreshToken(session: RefreshSession, spent: Bool)
        case family
        case code(AuthorizationGrant)
        case profile(Data)
        case counter(Int)
        case revoked
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var writesSinceSweep = 0

        func live(_ key: String, now: ContinuousClock.Instant) -> Value? {
            guard let entry = self.entries[key], entry.expires > now else { return nil }
            return entry.value
        }

        mutating func set(_ key: String, _ value: Value, expires: ContinuousClock.Instant, now: ContinuousClock.Instant)
        {
            self.entries[key] = Entry(value: value, expires: expires)
            self.writesSinceSweep += 1
            if self.writesSinceSweep > 1024, self.writesSinceSweep > self.entries.count {
                self.entries = self.entries.filter { $0.value.expires > now }
                self.writesSinceSweep = 0
            }
        }
    }

    private let state = NIOLockedValueBox(State())

    /// An empty store.
    public init() {}

    public func startRefreshFamily(tokenDigest: String, session: RefreshSession, lifetime: Duration) async throws {
        let now = ContinuousClock.now
        self.state.withLockedValue { state in
            state.set("rf:" + session.family, .family, expires: now + lifetime, now: now)
            state.set(
                "rt:" + tokenDigest, .refreshToken(session: session, spent: false), expires: now + lifetime, now: now)
        }
    }

    public func rotateRefreshToken(tokenDigest: String, newTokenDigest: String) async throws -> RefreshRotation {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            guard case .refreshToken(let session, let spent) = state.live("rt:" + tokenDigest, now: now),
                let family = state.entries["rf:" + session.family], family.expires > now
            else { return .invalid }
            if spent {
                state.entries["rf:" + session.family] = nil
                return .reused(family: session.family)
            }
            let tokenExpiry = state.entries["rt:" + tokenDigest]!.expires
            state.set("rt:" + tokenDigest, .refreshToken(session: session, spent: true), expires: tokenExpiry, now: now)
            state.set(
                "rt:" + newTokenDigest, .refreshToken(session: session, spent: false), expires: family.expires, now: now
            )
            return .rotated(session)
        }
    }

    public func refreshSession(tokenDigest: String) async throws -> RefreshSession? {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            guard case .refreshToken(let session, false) = state.live("rt:" + tokenDigest, now: now),
                state.live("rf:" + session.family, now: now) != nil
            else { return nil }
            return session
        }
    }

    public func revokeRefreshFamily(_ family: String) async throws {
        _ = self.state.withLockedValue { $0.entries.removeValue(forKey: "rf:" + family) }
    }

    public func saveAuthorizationCode(digest: String, grant: AuthorizationGrant, lifetime: Duration) async throws {
        let now = ContinuousClock.now
        self.state.withLockedValue { $0.set("code:" + digest, .code(grant), expires: now + lifetime, now: now) }
    }

    public func takeAuthorizationCode(digest: String) async throws -> AuthorizationGrant? {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            defer { state.entries["code:" + digest] = nil }
            guard case .code(let grant) = state.live("code:" + digest, now: now) else { return nil }
            return grant
        }
    }

    public func cachedProfile(userID: String) async throws -> Data? {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            guard case .profile(let json) = state.live("profile:" + userID, now: now) else { return nil }
            return json
        }
    }

    public func cacheProfile(userID: String, json: Data, lifetime: Duration) async throws {
        let now = ContinuousClock.now
        self.state.withLockedValue { $0.set("profile:" + userID, .profile(json), expires: now + lifetime, now: now) }
    }

    public func invalidateProfile(userID: String) async throws {
        _ = self.state.withLockedValue { $0.entries.removeValue(forKey: "profile:" + userID) }
    }

    public func recordLoginFailure(keys: [String], window: Duration) async throws -> [Int] {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            keys.map { key in
                let name = "fail:" + key
                if case .counter(let count) = state.live(name, now: now), let expires = state.entries[name]?.expires {
                    state.set(name, .counter(count + 1), expires: expires, now: now)
                    return count + 1
                }
                state.set(name, .counter(1), expires: now + window, now: now)
                return 1
            }
        }
    }

    public func loginFailures(keys: [String]) async throws -> [Int] {
        let now = ContinuousClock.now
        return self.state.withLockedValue { state in
            keys.map { key in
                guard case .counter(let count) = state.live("fail:" + key, now: now) else { return 0 }
                return count
            }
        }
    }

    public func clearLoginFailures(key: String) async throws {
        _ = self.state.withLockedValue { $0.entries.removeValue(forKey: "fail:" + key) }
    }

    public func revokeAccessToken(id: String, lifetime: Duration) async throws {
        let now = ContinuousClock.now
        self.state.withLockedValue { $0.set("revoked:" + id, .revoked, expires: now + lifetime, now: now) }
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        let now = ContinuousClock.now
        return self.state.withLockedValue { $0.live("revoked:" + id, now: now) != nil }
    }

    public func ping() async throws {}
}
