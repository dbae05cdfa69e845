import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// An OAuth 2.0 error answer (RFC 6749 section 5.2): `{"error": "invalid_grant", "error_description": "..."}`,
/// 400, or 401 with a `WWW-Authenticate` challenge for `invalid_client` when the client authenticated with HTTP
/// Basic (section 5.2 requires it then).
public struct OAuthError: Error, HTTPResponseError, Sendable, Equatable {
    /// The error code: `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`.
    public let code: String
    /// A sentence for the developer.
    public let description: String
    /// 400, or 401 for `invalid_client`.
    public let status: HTTPResponse.Status
    /// `WWW-Authenticate`, `Retry-After`.
    public var headers: HTTPFields = [:]

    init(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest) {
        self.code = code
        self.description = description
        self.status = status
    }

    static func invalidRequest(_ description: String) -> OAuthError { OAuthError("invalid_request", description) }
    static func invalidGrant(_ description: String) -> OAuthError { OAuthError("invalid_grant", description) }
    static func invalidScope(_ description: String) -> OAuthError { OAuthError("invalid_scope", description) }
    static func unauthorizedClient(_ description: String) -> OAuthError {
        OAuthError("unauthorized_client", description)
    }
    static func unsupportedGrantType(_ description: String) -> OAuthError {
        OAuthError("unsupported_grant_type", description)
    }

    /// `invalid_client`: 401, with a `Basic` challenge when the client tried HTTP Basic.
    static func invalidClient(_ description: String, usedBasic: Bool) -> OAuthError {
        var error = OAuthError("invalid_client", description, status: .unauthorized)
        if usedBasic { error.headers[.wwwAuthenticate] = "Basic realm=\"acme\", charset=\"UTF-8\"" }
        return error
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        let body = try JSONEncoder().encode(["error": self.code, "error_description": self.description])
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
