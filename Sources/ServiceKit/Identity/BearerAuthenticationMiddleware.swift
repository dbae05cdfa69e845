import Foundation
import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and verifies the token itself (whether or not a gateway checked it before):
/// the context's `authentication` becomes the caller, or the refusal that `requireCaller()` throws. Routes that
/// need no caller (registration, health) ignore it, so a stale token never blocks them.
public struct BearerAuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let verifier: TokenVerifier

    /// Verifies tokens with `verifier`.
    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            return try await next(request, context)
        }
        var context = context
        do {
            context.authentication = .caller(try await self.verifier.verify(token))
        } catch let problem as Problem where problem.status == .unauthorized {
            context.authentication = .refused(problem)
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` authorization (the scheme is case-insensitive), `nil` for any other.
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
