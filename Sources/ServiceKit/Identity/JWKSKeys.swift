import AsyncHTTPClient
import Foundation
import JWT
import Logging
import NIOCore

/// The keys of the user service's JSON Web Key Set, fetched over HTTP and cached: fetched again after `timeToLive`,
/// and early when a token names an unknown `kid` (at most once per `refetchInterval`, so a stream of bad tokens
/// cannot hammer the user service). Concurrent callers share one fetch; when a fetch fails, the keys already known
/// stay in use.
public actor JWKSKeys: VerificationKeys {
    /// The key set's URL, such as `http://127.0.0.1:8101/.well-known/jwks.json`.
    public let url: String
    private let timeToLive: Duration
    private let refetchInterval: Duration
    private let httpClient: HTTPClient
    private let logger: Logger
    private var cached: [VerificationKey] = []
    private var fetchedAt: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var fetch: Task<[VerificationKey], any Error>?

    /// Keys from the set at `url`.
    public init(
        url: String, timeToLive: Duration = .seconds(300), refetchInterval: Duration = .seconds(30),
        httpClient: HTTPClient = .shared, logger: Logger
    ) {
        self.url = url
        self.timeToLive = timeToLive
        self.refetchInterval = refetchInterval
        self.httpClient = httpClient
        self.logger = logger
    }

    public func keys(kid: String?) async throws -> [VerificationKey] {
        let now = ContinuousClock.now
        let matching = Self.matching(self.cached, kid: kid)
        let fresh = self.fetchedAt.map { now - $0 < self.timeToLive } ?? false
        if fresh, !matching.isEmpty { return matching }
        if let fetch = self.fetch { return Self.matching(try await fetch.value, kid: kid) }
        let mayFetch = self.lastAttempt.map { now - $0 >= self.refetchInterval } ?? true
        guard mayFetch else { return matching }
        self.lastAttempt = now
        let fetch = Task { try await self.download() }
        self.fetch = fetch
        defer { self.fetch = nil }
        do {
            let keys = try await fetch.value
            self.cached = keys
            self.fetchedAt = ContinuousClock.now
            return Self.matching(keys, kid: kid)
        } catch {
            self.logger.error(
                "cannot fetch the JSON Web Key Set", metadata: ["url": "\(self.url)", "error": "\(error)"])
            guard !self.cached.isEmpty else { throw error }
            return matching
        }
    }

    private static func matching(_ keys: [VerificationKey], kid: String?) -> [VerificationKey] {
        guard let kid else { return keys }
        return keys.filter { $0.kid == kid }
    }

    private nonisolated func download() async throws -> [VerificationKey] {
        var request = HTTPClientRequest(url: self.url)
        request.headers.add(name: "accept", value: "application/json")
        let response = try await self.httpClient.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw Problem.unavailable("the key set URL answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let set = try JSONDecoder().decode(JWKSet.self, from: Data(body.readableBytesView))
        return set.keys.compactMap(VerificationKey.init(jwk:))
    }
}
