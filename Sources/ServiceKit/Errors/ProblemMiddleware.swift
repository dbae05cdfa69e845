import Hummingbird
import Logging

/// Turns every error a handler throws into `application/problem+json`: a `Problem` as it is, Hummingbird's
/// `HTTPError` (404 no route, 413 too large, ...) with its status and message, a database that is down as 503,
/// another `HTTPResponseError` as it renders itself, and anything else as a bare 500, logged with the request id
/// but never shown.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The middleware.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as HTTPError {
            var problem = Problem(error.status, detail: error.body)
            problem.headers = error.headers
            return problem.response()
        } catch let error as SQLError where error.code == .unavailable {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            return Problem.unavailable("the database is not available").response()
        } catch let error as any HTTPResponseError {
            // Errors that render themselves (OAuth 2.0's JSON errors, for one) keep their own form.
            return try error.response(from: request, context: context)
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"])
            return Problem(.internalServerError, detail: "the server could not answer this request").response()
        }
    }
}
