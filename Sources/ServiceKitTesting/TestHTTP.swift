import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ServiceKit

/// An answer a test received: status, headers and body text.
public struct TestHTTPResponse: Sendable {
    /// The status.
    public let status: HTTPResponseStatus
    /// The headers.
    public let headers: HTTPHeaders
    /// The body as text.
    public let text: String

    /// The body as a JSON object.
    ///
    /// - Throws: `TestSetupError` when it is not one.
    public func object() throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(self.text.utf8)) as? [String: Any] else {
            throw TestSetupError("expected a JSON object, got \(self.status.code): \(self.text)")
        }
        return object
    }
}

/// Requests as tests send them to real servers on loopback, with a generous hang guard.
public enum TestHTTP {
    /// Sends `method url` with an optional bearer `token`, JSON or form body, and extra headers.
    public static func send(
        _ method: HTTPMethod, _ url: String, token: String? = nil, json: String? = nil,
        form: [(String, String)]? = nil, headers: [(String, String)] = []
    ) async throws -> TestHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let form {
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: FormBody.encode(form)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return TestHTTPResponse(status: response.status, headers: response.headers, text: String(buffer: body))
    }
}
