import Hummingbird
import ServiceKit

/// Another service could not be used: it did not answer in time, refused the connection, answered 5xx, or its
/// circuit is open. Answered as a 503 problem (with `Retry-After` when the circuit says when), never a hang.
public struct DependencyError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    /// The service (`users`, `inventory`).
    public let service: String
    /// What happened, for the logs.
    public let reason: String
    /// When the circuit will let calls through again, if it is open.
    public let retryAfter: Duration?

    /// An error for `service`.
    public init(service: String, reason: String, retryAfter: Duration? = nil) {
        self.service = service
        self.reason = reason
        self.retryAfter = retryAfter
    }

    public var description: String { "the \(self.service) service is unavailable: \(self.reason)" }

    /// The 503 problem.
    public var problem: Problem {
        var problem = Problem.unavailable("the \(self.service) service is not available; try again later")
        if let retryAfter {
            problem.headers[.retryAfter] = String(max(1, retryAfter.components.seconds + 1))
        }
        return problem
    }

    public var status: HTTPResponse.Status { .serviceUnavailable }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        context.logger.error(
            "dependency unavailable", metadata: ["service": "\(self.service)", "reason": "\(self.reason)"])
        return self.problem.response()
    }
}
