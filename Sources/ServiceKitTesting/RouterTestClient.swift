import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Requests as the services' tests send them to the router (`app.test(.router)`).
extension TestClientProtocol {
    /// `METHOD uri` with an optional bearer `token`, JSON `body` and further `headers`.
    public func json(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if body != nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await self.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

/// Answers as the services' tests read them.
extension TestResponse {
    /// The body as a JSON object.
    ///
    /// - Throws: `TestSetupError` when it is not one.
    public func object() throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(self.body.readableBytesView)) as? [String: Any]
        else { throw TestSetupError("expected a JSON object, got \(self.status.code): \(self.text)") }
        return object
    }

    /// The body as text, for failure messages.
    public var text: String { String(buffer: self.body) }
}
