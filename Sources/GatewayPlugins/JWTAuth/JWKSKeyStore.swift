import AsyncHTTPClient
import Foundation
import Gateway
import JWT
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The keys of a JSON Web Key Set, fetched from its URL off the event loop, kept for a time to live, and fetched
/// again early (at most once per refetch interval) when a token names a key id the set does not have. Concurrent
/// requests share one fetch; when a fetch fails the keys already known stay in use.
final class JWKSKeyStore: Sendable {
    /// One usable key of the set.
    struct Key: Sendable {
        let kid: String?
        /// The algorithm the set pins the key to, if it says.
        let algorithm: JWTAlgorithm?
        let key: JWTKey
    }

    /// What a lookup found: the keys now, or a fetch to wait for.
    enum Lookup {
        case keys([Key])
        case fetching(EventLoopFuture<[Key]>)
    }

    private struct State {
        var keys: [Key] = []
        var fetchedAt: Double?
        var lastAttempt: Double?
        var fetch: EventLoopFuture<[Key]>?
    }

    let url: String
    private let timeToLive: Double
    private let refetchInterval: Double
    private let clock: any GatewayClock
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(url: String, timeToLive: Double, refetchInterval: Double, clock: any GatewayClock, logger: Logger) {
        self.url = url
        self.timeToLive = timeToLive
        self.refetchInterval = refetchInterval
        self.clock = clock
        self.logger = logger
    }

    /// The keys that may have signed a token with key id `kid` (every key when it has none), fetching the set
    /// first when it was never fetched, has expired, or lacks `kid` and may be fetched again.
    func lookup(kid: String?) -> Lookup {
        let now = self.clock.now()
        return self.state.withLockedValue { state in
            let matching = Self.matching(state.keys, kid: kid)
            let fresh = state.fetchedAt.map { now - $0 < self.timeToLive } ?? false
            if fresh, !matching.isEmpty { return .keys(matching) }
            if let fetch = state.fetch { return .fetching(fetch) }
            let mayRetry = state.lastAttempt.map { now - $0 >= self.refetchInterval } ?? true
            guard mayRetry else { return .keys(matching) }
            state.lastAttempt = now
            let fetch = self.fetch()
            state.fetch = fetch
            return .fetching(fetch)
        }
    }

    /// The keys of `keys` that may have signed a token with key id `kid`.
    static func matching(_ keys: [Key], kid: String?) -> [Key] {
        guard let kid else { return keys }
        return keys.filter { $0.kid == kid }
    }

    /// Fetches the set; completes with the keys in use afterwards (the old ones when the fetch failed).
    private func fetch() -> EventLoopFuture<[Key]> {
        let client = HTTPClient.shared
        let loop = client.eventLoopGroup.any()
        let fetched: EventLoopFuture<[Key]>
        do {
            let request = try HTTPClient.Request(url: self.url, method: .GET, headers: ["accept": "application/json"])
            fetched = client.execute(request: request, deadline: .now() + .seconds(10)).flatMapThrowing { response in
                guard response.status == .ok, let body = response.body else {
                    throw JWKSFetchError.status(response.status.code)
                }
                return try Self.keys(from: Data(body.readableBytesView))
            }
        } catch {
            fetched = loop.makeFailedFuture(error)
        }
        return fetched.map { keys in
            self.state.withLockedValue { state in
                state.keys = keys
                state.fetchedAt = self.clock.now()
                state.fetch = nil
            }
            return keys
        }.flatMapErrorThrowing { error in
            self.logger.error("cannot fetch the JSON Web Key Set", metadata: ["url": "\(self.url)", "error": "\(error)"])
            return try self.state.withLockedValue { state in
                state.fetch = nil
                guard !state.keys.isEmpty else { throw error }
                return state.keys
            }
        }
    }

    /// The usable keys of a key set document: RSA and EC signing keys (symmetric keys are never taken from a set).
    static func keys(from document: Data) throws -> [Key] {
        let set = try JSONDecoder().decode(JWKSet.self, from: document)
        return set.keys.compactMap { jwk in
            guard jwk.kty != "oct", jwk.use == nil || jwk.use == "sig", let key = try? JWTKey(jwk: jwk) else { return nil }
            return Key(kid: jwk.kid, algorithm: jwk.alg.flatMap(JWTAlgorithm.init(name:)), key: key)
        }
    }
}

/// Why a key set could not be fetched.
enum JWKSFetchError: Error, CustomStringConvertible {
    case status(UInt)

    var description: String {
        switch self {
        case .status(let code): return "the key set URL answered \(code)"
        }
    }
}
