import AsyncHTTPClient
import Foundation
import NIOCore

/// A provider's HTTP API: one POST, its answer classified (`DeliveryFailure.forHTTPStatus`, with the answer's
/// `Retry-After`), a timeout or a refused connection made a temporary failure.
struct ProviderHTTP: Sendable {
    /// The provider's name in failures (`SES`, `Twilio`, ...).
    let provider: String
    let httpClient: HTTPClient
    let timeout: Duration

    /// POSTs `body` to `url` with `headers`; returns the answer's body for a 2xx.
    ///
    /// - Throws: `DeliveryFailure`.
    func post(_ url: String, headers: [(String, String)], body: some Collection<UInt8>) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let answer: ByteBuffer
        do {
            response = try await self.httpClient.execute(request, timeout: .seconds(self.timeout.components.seconds))
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw DeliveryFailure(.temporary, "\(self.provider) could not be reached: \(error)")
        }
        if let failure = DeliveryFailure.forHTTPStatus(
            Int(response.status.code), provider: self.provider, body: String(buffer: answer),
            retryAfter: response.headers.first(name: "retry-after").flatMap { RetryAfter.parse($0) })
        {
            throw failure
        }
        return answer
    }
}
