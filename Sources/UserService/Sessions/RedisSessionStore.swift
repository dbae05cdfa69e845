import Foundation
import Redis

/// `SessionStore` in Redis, shared by every instance of the service: keys under `prefix` (`users:` by default),
/// each with its own expiry; the steps that must not interleave (rotating a refresh token, counting a failure)
/// are Lua scripts, which Redis runs atomically.
///
/// Keys: `rf:<family>` (the family lives while this exists), `rt:<digest>` (a hash: `family`, `session` JSON,
/// `spent`), `code:<digest>`, `profile:<user id>`, `fail:<account or address>`, `revoked:<jti>`.
public struct RedisSessionStore: SessionStore {
    private let client: RedisClient
    private let prefix: String

    /// A store on `client` with keys under `prefix`.
    public init(client: RedisClient, prefix: String = "users:") {
        self.client = client
        self.prefix = prefix
    }

    public func startRefreshFamily(tokenDigest: String, session: RefreshSession, lifetime: Duration) async throws {
        try await self.client.run(
            Self.startFamily,
            keys: [.init(self.prefix + "rf:" + session.family), .init(self.prefix + "rt:" + tokenDigest)],
            arguments: [.init(Self.milliseconds(lifetime)), .init(session.family), .init(try Self.json(session))])
    }

    public func rotateRefreshToken(tokenDigest: String, newTokenDigest: String) async throws -> RefreshRotation {
        let reply = try await self.client.run(
            Self.rotate,
            keys: [.init(self.prefix + "rt:" + tokenDigest), .init(self.prefix + "rt:" + newTokenDigest)],
            arguments: [.init(self.prefix + "rf:")])
        let elements = reply.elements ?? []
        switch elements.first?.string {
        case "rotated":
            guard let json = elements.dropFirst().first?.string else { return .invalid }
            return .rotated(try JSONDecoder().decode(RefreshSession.self, from: Data(json.utf8)))
        case "reused":
            return .reused(family: elements.dropFirst().first?.string ?? "")
        default:
            return .invalid
        }
    }

    public func refreshSession(tokenDigest: String) async throws -> RefreshSession? {
        let reply = try await self.client.run(
            Self.readSession, keys: [.init(self.prefix + "rt:" + tokenDigest)], arguments: [.init(self.prefix + "rf:")])
        guard let json = reply.string else { return nil }
        return try JSONDecoder().decode(RefreshSession.self, from: Data(json.utf8))
    }

    public func revokeRefreshFamily(_ family: String) async throws {
        try await self.client.send("DEL", .init(self.prefix + "rf:" + family))
    }

    public func saveAuthorizationCode(digest: String, grant: AuthorizationGrant, lifetime: Duration) async throws {
        try await self.client.send(
            "SET", .init(self.prefix + "code:" + digest), .init(try Self.json(grant)), "PX",
            .init(Self.milliseconds(lifetime)))
    }

    public func takeAuthorizationCode(digest: String) async throws -> AuthorizationGrant? {
        guard let json = try await self.client.send("GETDEL", .init(self.prefix + "code:" + digest)).string else {
            return nil
        }
        return try JSONDecoder().decode(AuthorizationGrant.self, from: Data(json.utf8))
    }

    public func cachedProfile(userID: String) async throws -> Data? {
        try await self.client.send("GET", .init(self.prefix + "profile:" + userID)).bytes.map { Data($0) }
    }

    public func cacheProfile(userID: String, json: Data, lifetime: Duration) async throws {
        try await self.client.send(
            "SET", .init(self.prefix + "profile:" + userID), .init(Array(json)), "PX",
            .init(Self.milliseconds(lifetime)))
    }

    public func invalidateProfile(userID: String) async throws {
        try await self.client.send("DEL", .init(self.prefix + "profile:" + userID))
    }

    public func recordLoginFailure(keys: [String], window: Duration) async throws -> [Int] {
        let reply = try await self.client.run(
            Self.countFailure, keys: keys.map { .init(self.prefix + "fail:" + $0) },
            arguments: [.init(Self.milliseconds(window))])
        return (reply.elements ?? []).map { $0.int ?? 0 }
    }

    public func loginFailures(keys: [String]) async throws -> [Int] {
        guard !keys.isEmpty else { return [] }
        let reply = try await self.client.send(
            RedisCommand("MGET", arguments: keys.map { .init(self.prefix + "fail:" + $0) }))
        return (reply.elements ?? []).map { $0.int ?? 0 }
    }

    public func clearLoginFailures(key: String) async throws {
        try await self.client.send("DEL", .init(self.prefix + "fail:" + key))
    }

    public func revokeAccessToken(id: String, lifetime: Duration) async throws {
        try await self.client.send(
            "SET", .init(self.prefix + "revoked:" + id), "1", "PX", .init(max(1, Self.milliseconds(lifetime))))
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        try await self.client.send("EXISTS", .init(self.prefix + "revoked:" + id)).int == 1
    }

    public func ping() async throws {
        guard try await self.client.send("PING").string == "PONG" else {
            throw RedisError.server(message: "unexpected reply to PING")
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// KEYS: family, first token. ARGV: lifetime ms, family id, session JSON.
    private static let startFamily = RedisScript(
        """
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        redis.call('HSET', KEYS[2], 'family', ARGV[2], 'session', ARGV[3], 'spent', '0')
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        return 1
        """)

    /// KEYS: presented token, new token. ARGV: family key prefix. The new token expires with its family.
    private static let rotate = RedisScript(
        """
        local family = redis.call('HGET', KEYS[1], 'family')
        if not family then return {'invalid'} end
        local familyKey = ARGV[1] .. family
        local ttl = redis.call('PTTL', familyKey)
        if ttl <= 0 then return {'invalid'} end
        if redis.call('HGET', KEYS[1], 'spent') == '1' then
            redis.call('DEL', familyKey)
            return {'reused', family}
        end
        redis.call('HSET', KEYS[1], 'spent', '1')
        local session = redis.call('HGET', KEYS[1], 'session')
        redis.call('HSET', KEYS[2], 'family', family, 'session', session, 'spent', '0')
        redis.call('PEXPIRE', KEYS[2], ttl)
        return {'rotated', session}
        """)

    /// KEYS: token. ARGV: family key prefix. The session JSON of an unspent token of a live family, else nil.
    private static let readSession = RedisScript(
        """
        local fields = redis.call('HMGET', KEYS[1], 'family', 'session', 'spent')
        if not fields[1] or fields[3] == '1' then return false end
        if redis.call('EXISTS', ARGV[1] .. fields[1]) == 0 then return false end
        return fields[2]
        """)

    /// KEYS: counters. ARGV: window ms (set on a counter's first failure). The new counts.
    private static let countFailure = RedisScript(
        """
        local counts = {}
        for index, key in ipairs(KEYS) do
            local count = redis.call('INCR', key)
            if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
            counts[index] = count
        end
        return counts
        """)
}
