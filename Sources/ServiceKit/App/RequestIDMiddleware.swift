import Foundation
import HTTPTypes
import Hummingbird

/// Gives each request an id: the `X-Request-ID` the gateway (or a client) sent when it is 1 to 128 visible ASCII
/// characters, else a new UUID. The id goes into the context, the logger's metadata (`request_id`) and the
/// response's `X-Request-ID`.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    /// The middleware.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = request.headers[Self.header].flatMap(Self.usable) ?? UUID().uuidString.lowercased()
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    static let header = HTTPField.Name("X-Request-ID")!

    static func usable(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return nil
        }
        return value
    }
}
