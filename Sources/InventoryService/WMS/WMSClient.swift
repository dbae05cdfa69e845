import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ServiceKit

/// The warehouse management system over REST (`WMS_URL`, bearer `WMS_TOKEN`): `GET /stock` for the levels it
/// counts (`{"data": [{"sku", "warehouse", "on_hand"}]}`), `POST /fulfilments` to ship a committed reservation
/// (`{reservation_id, order_id, allocations}`, with the reservation id as `Idempotency-Key`, so a retry never
/// ships twice). Every attempt has a timeout; connection failures, timeouts, 429 and 5xx answers are retried with
/// backoff; a run of failures opens the circuit breaker, and then calls fail at once until it lets a trial through.
public struct WMSClient: Sendable {
    /// The WMS's base URL, without a trailing slash.
    public let baseURL: String
    let token: String?
    let httpClient: HTTPClient
    let timeout: Duration
    let retry: RetryPolicy
    /// The WMS's breaker (shared by every call of this client).
    public let breaker: CircuitBreaker

    /// A client for the WMS at `baseURL`.
    public init(
        baseURL: String, token: String?, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(5),
        retry: RetryPolicy = .standard, breaker: CircuitBreaker = CircuitBreaker(name: "wms")
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.httpClient = httpClient
        self.timeout = timeout
        self.retry = retry
        self.breaker = breaker
    }

    private struct StockLevels: Decodable {
        let data: [WMSStockLevel]
    }

    /// The levels the WMS counts.
    ///
    /// - Throws: `WMSError`, or `CircuitBreakerOpenError` while the breaker is open.
    public func stockLevels() async throws -> [WMSStockLevel] {
        let body = try await self.send(.GET, "/stock", body: nil, idempotencyKey: nil)
        do {
            return try JSONDecoder().decode(StockLevels.self, from: body).data
        } catch {
            throw WMSError.invalidResponse("GET /stock: the body is not a list of stock levels")
        }
    }

    /// Asks the WMS to ship a committed reservation; a repeat of the same request is harmless.
    ///
    /// - Throws: `WMSError`, or `CircuitBreakerOpenError` while the breaker is open.
    public func requestFulfilment(_ request: FulfilmentRequest) async throws {
        _ = try await self.send(
            .POST, "/fulfilments", body: try JSONEncoder().encode(request), idempotencyKey: request.reservationId)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data?, idempotencyKey: String?) async throws -> Data {
        try await self.retry.run(retryable: WMSError.isRetryable) { _ in
            try await self.breaker.run(isFailure: WMSError.isRetryable) {
                try await self.attempt(method, path, body: body, idempotencyKey: idempotencyKey)
            }
        }
    }

    private func attempt(_ method: HTTPMethod, _ path: String, body: Data?, idempotencyKey: String?) async throws
        -> Data
    {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.method = method
        request.headers.add(name: "accept", value: "application/json")
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if let idempotencyKey { request.headers.add(name: "idempotency-key", value: idempotencyKey) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let collected: ByteBuffer
        do {
            let timeout = TimeAmount.nanoseconds(
                Int64(self.timeout.components.seconds) * 1_000_000_000
                    + self.timeout.components.attoseconds / 1_000_000_000)
            response = try await self.httpClient.execute(request, timeout: timeout)
            collected = try await response.body.collect(upTo: 8 << 20)
        } catch {
            throw WMSError.unreachable("\(method) \(path): \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw WMSError.status(Int(response.status.code), "\(method) \(path)")
        }
        return Data(collected.readableBytesView)
    }
}

/// A failed call to the WMS.
public enum WMSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No answer: the connection failed or the attempt timed out.
    case unreachable(String)
    /// An answer outside 2xx.
    case status(Int, String)
    /// A 2xx answer the client cannot read.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let detail): return "the WMS did not answer: \(detail)"
        case .status(let code, let call): return "the WMS answered \(code) to \(call)"
        case .invalidResponse(let detail): return "the WMS's answer is not valid: \(detail)"
        }
    }

    /// Whether another attempt may succeed: no answer, 429 or 5xx (these also count against the breaker).
    static func isRetryable(_ error: any Error) -> Bool {
        switch error as? WMSError {
        case .unreachable?: return true
        case .status(let code, _)?: return code == 429 || code >= 500
        default: return false
        }
    }
}
