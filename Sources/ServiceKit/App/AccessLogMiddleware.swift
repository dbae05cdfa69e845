import Foundation
import Hummingbird
import Logging

/// One access-log line per request, at `info`, with the request id already in the logger's metadata: method,
/// path (without the query, which may carry secrets), status, duration and peer. The format (text or JSON, from
/// `LOG_FORMAT`) is the log handler's.
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    /// The middleware.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.3f", milliseconds)),
                "remote": .string(context.remoteAddress?.ipAddress ?? "-"),
            ])
        return response
    }
}
