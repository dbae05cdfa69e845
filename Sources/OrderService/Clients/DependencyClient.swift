import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit

/// Calls one other service over HTTP with the service's own bearer token: each attempt has a deadline, goes
/// through the service's circuit breaker (ServiceKit's `CircuitBreaker`, one per dependency), and idempotent calls
/// are retried by a `RetryPolicy` when the answer is missing or 5xx. Every way of not getting an answer ends as a
/// `DependencyError`.
public struct DependencyClient: Sendable {
    /// How calls are made.
    public struct Policy: Sendable, Hashable {
        /// Deadline of one attempt (connect, send, answer).
        public var timeout: Duration
        /// Attempts and pauses of an idempotent call (others get one attempt).
        public var retry: RetryPolicy

        /// A policy: 5 s per attempt, three attempts about 100 ms and 200 ms apart.
        public init(timeout: Duration = .seconds(5), retry: RetryPolicy = .standard) {
            self.timeout = timeout
            self.retry = retry
        }
    }

    /// An answer: its status and body.
    public struct Answer: Sendable {
        /// The HTTP status.
        public let status: Int
        /// The body.
        public let body: Data
    }

    /// A 5xx answer, a failure of the dependency.
    struct ServerError: Error, CustomStringConvertible {
        let status: Int
        var description: String { "answered \(self.status)" }
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
        authorization: @escaping @Sendable () async throws -> String, httpClient: HTTPClient = .dependencies,
        logger: Logger
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
        let header = try await self.authorizationHeader()
        let retry =
            idempotent ? self.policy.retry : RetryPolicy(maximumAttempts: 1, initialDelay: .zero, maximumDelay: .zero)
        do {
            return try await retry.run(retryable: { !($0 is CircuitBreakerOpenError || $0 is CancellationError) }) {
                attempt in
                do {
                    return try await self.breaker.run(isFailure: { !($0 is CancellationError) }) {
                        let answer = try await self.attempt(method, path, json: json, authorization: header)
                        guard answer.status < 500 else { throw ServerError(status: answer.status) }
                        return answer
                    }
                } catch let error as CircuitBreakerOpenError {
                    throw error
                } catch {
                    self.logger.warning(
                        "dependency call failed",
                        metadata: [
                            "service": "\(self.service)", "call": "\(method) \(path)", "attempt": "\(attempt)",
                            "error": "\(error)",
                        ])
                    throw error
                }
            }
        } catch let error as CancellationError {
            throw error
        } catch let error as CircuitBreakerOpenError {
            throw DependencyError(service: self.service, reason: "\(error)", retryAfter: self.breaker.remainingOpenTime)
        } catch {
            throw DependencyError(service: self.service, reason: "\(method) \(path): \(error)")
        }
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

extension CircuitBreaker {
    /// How long an open circuit still refuses calls; `nil` when it is not open.
    var remainingOpenTime: Duration? {
        guard case .open(let until) = self.state else { return nil }
        return max(.zero, ContinuousClock.now.duration(to: until))
    }

    /// Whether calls are refused now.
    public var isOpen: Bool { self.remainingOpenTime != nil }
}
