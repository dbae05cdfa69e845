import Foundation
import Hummingbird

/// An error answered as RFC 9457 `application/problem+json`: `type`, `title`, `status`, `detail`, and for
/// validation failures `errors`, one entry per field.
///
/// Throw it from a handler; `ProblemMiddleware` also turns every other error into one, so that no answer carries
/// a stack trace, SQL or a driver's message.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    public var type: String
    /// A short summary of the kind of problem, the same for every occurrence.
    public var title: String
    /// What went wrong this time, for a person to read.
    public var detail: String?
    /// For validation failures, what is wrong with each field.
    public var errors: [FieldError]
    /// Headers to send with the answer (`WWW-Authenticate`, `Retry-After`, ...).
    public var headers: HTTPFields

    /// A problem of kind `type` (`about:blank` by default, whose title is the status' reason phrase).
    public init(
        _ status: HTTPResponse.Status, type: String = "about:blank", title: String? = nil, detail: String? = nil,
        errors: [FieldError] = [], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The answer: the problem document with `Content-Type: application/problem+json`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response()
    }

    /// The answer, without a request.
    public func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        let body = (try? Problem.encoder.encode(Document(self))) ?? Data("{}".utf8)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The JSON members, in RFC 9457's names.
    private struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let errors: [FieldError]?

        init(_ problem: Problem) {
            self.type = problem.type
            self.title = problem.title
            self.status = problem.status.code
            self.detail = problem.detail
            self.errors = problem.errors.isEmpty ? nil : problem.errors
        }
    }
}

/// What is wrong with one field of a request body: its name, an RFC 6901 JSON pointer to it, and the reason.
public struct FieldError: Sendable, Hashable, Encodable {
    /// The field's name as the client wrote it (`email`, `items.0.sku`).
    public var field: String
    /// The field as a JSON pointer (`#/email`, `#/items/0/sku`).
    public var pointer: String
    /// What is wrong.
    public var detail: String

    /// An error for `field`; nested fields are written with dots.
    public init(field: String, detail: String) {
        self.field = field
        self.pointer = "#/" + field.split(separator: ".", omittingEmptySubsequences: false).joined(separator: "/")
        self.detail = detail
    }
}

extension Problem {
    /// The kinds of problem the services report, as URNs (not meant to be fetched).
    public enum Kind {
        /// The body or query failed validation: see `errors`.
        public static let validation = "urn:acme:problem:validation"
        /// The resource exists already (an email taken, ...).
        public static let conflict = "urn:acme:problem:conflict"
        /// No valid bearer token.
        public static let unauthenticated = "urn:acme:problem:unauthenticated"
        /// The caller's token does not allow this.
        public static let forbidden = "urn:acme:problem:forbidden"
        /// A dependency (database, cache) is not available.
        public static let unavailable = "urn:acme:problem:unavailable"
    }

    /// 400 with one entry per failing field.
    public static func validation(_ errors: [FieldError], detail: String = "the request is not valid") -> Problem {
        Problem(.badRequest, type: Kind.validation, title: "Invalid request", detail: detail, errors: errors)
    }

    /// 400 for one failing field.
    public static func invalidField(_ field: String, _ detail: String) -> Problem {
        .validation([FieldError(field: field, detail: detail)], detail: "\(field): \(detail)")
    }

    /// 404.
    public static func notFound(_ detail: String = "no such resource") -> Problem {
        Problem(.notFound, detail: detail)
    }

    /// 409.
    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: Kind.conflict, title: "Conflict", detail: detail)
    }

    /// 401 with a `WWW-Authenticate: Bearer` challenge (RFC 6750), `error="invalid_token"` when a token was sent.
    public static func unauthenticated(_ detail: String, tokenSent: Bool) -> Problem {
        var challenge = "Bearer realm=\"acme\""
        if tokenSent {
            let escaped = detail.replacingOccurrences(of: "\"", with: "'")
            challenge += ", error=\"invalid_token\", error_description=\"\(escaped)\""
        }
        return Problem(
            .unauthorized, type: Kind.unauthenticated, title: "Authentication required", detail: detail,
            headers: [.wwwAuthenticate: challenge])
    }

    /// 403.
    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: Kind.forbidden, title: "Forbidden", detail: detail)
    }

    /// 503.
    public static func unavailable(_ detail: String) -> Problem {
        Problem(.serviceUnavailable, type: Kind.unavailable, title: "Service unavailable", detail: detail)
    }
}
