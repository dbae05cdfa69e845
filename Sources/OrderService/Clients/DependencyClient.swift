import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Calls one other service over HTTP with the service's own bearer token: each attempt has a deadline, idempotent
/// calls are retried (with a growing pause) when the answer is missing or 5xx, and a circuit breaker stops calling
/// a service that keeps failing. Every way of not getting an answer ends as a `DependencyError`.
public struct DependencyClient: Sendable {
    /// How calls are made.
    public struct Policy: Sendable, Hashable {
        /// Deadline of one attempt (connect, send, answer).
        public var timeout: Duration
        /// Further attempts of an idempotent call.
        public var retries: Int
        /// Pause before the first retry; doubled before each next one.
        public var backoff: Duration

        /// A policy.
        public init(timeout: Duration = .seconds(5), retries: Int = 2, backoff: Duration = .milliseconds(100)) {
            self.timeout = timeout
            self.retries = retries
            self.backoff = backoff
        }
    }

    /// An answer: its status and body.
    public struct Answer: Sendable {
        /// The HTTP status.
        public let status: Int
        /// The body.
        public let body: Data
    }

    /// The service's name, for errors and logs.
    public let service: String
    /// Its base URL, without a trailing slash.
    public let baseURL: String
    let policy: Policy
    let breaker: CircuitBreaker
    let authorization: @Sendable () async throws -> String
    let httpClient: HTTPClient
    let logger: Logger

    /// A client of `service` at `baseURL`; `authorization` gives the `Authorization` header's value.
    public init(
        service: String, baseURL: String, policy: Policy, breaker: CircuitBreaker,
        authorization: @escaping @Sendable () async throws -> String, httpClient: HTTPClient = .shared, logger: Logger
    ) {
        self.service = service
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.policy = policy
        self.breaker = breaker
        self.authorization = authorization
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Sends `method path` with `json` as the body; `idempotent` calls are retried.
    ///
    /// - Throws: `DependencyError` when no usable answer came (4xx answers are returned, they are the caller's).
    public func send(_ method: HTTPMethod, _ path: String, json: Data? = nil, idempotent: Bool) async throws -> Answer {
        if let retryAfter = self.breaker.refusal() {
            throw DependencyError(service: self.service, reason: "the circuit is open", retryAfter: retryAfter)
        }
        let header = try await self.authorizationHeader()
        let attempts = idempotent ? 1 + max(0, self.policy.retries) : 1
        var pause = self.policy.backoff
        var failure = "no attempt was made"
        for attempt in 1...attempts {
            if attempt > 1 {
                try await Task.sleep(for: pause)
                pause *= 2
                if let retryAfter = self.breaker.refusal() {
                    throw DependencyError(service: self.service, reason: "the circuit is open", retryAfter: retryAfter)
                }
            }
            do {
                let answer = try await self.attempt(method, path, json: json, authorization: header)
                if answer.status >= 500 {
                    failure = "\(method) \(path) answered \(answer.status)"
                    self.breaker.recordFailure()
                    continue
                }
                self.breaker.recordSuccess()
                return answer
            } catch let error as CancellationError {
                throw error
            } catch {
                failure = "\(method) \(path) failed: \(error)"
                self.breaker.recordFailure()
            }
            self.logger.warning(
                "dependency call failed",
                metadata: ["service": "\(self.service)", "attempt": "\(attempt)", "reason": "\(failure)"])
        }
        throw DependencyError(service: self.service, reason: failure)
    }

    private func authorizationHeader() async throws -> String {
        do {
            return try await self.authorization()
        } catch let error as DependencyError {
            throw error
        } catch {
            // The token comes from the user service: without it no call can be made.
            throw DependencyError(service: "users", reason: "no client-credentials token: \(error)")
        }
    }

    private func attempt(_ method: HTTPMethod, _ path: String, json: Data?, authorization: String) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.method = method
        request.headers.add(name: "authorization", value: authorization)
        request.headers.add(name: "accept", value: "application/json")
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let deadline = NIODeadline.now() + TimeAmount(self.policy.timeout)
        let response = try await self.httpClient.execute(request, deadline: deadline)
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: Data(body.readableBytesView))
    }
}
