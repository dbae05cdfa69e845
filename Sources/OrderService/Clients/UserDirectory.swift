import Foundation

/// The user service as the order service needs it: whether a user exists (`GET /users/{id}`, scope `users:read`).
public struct UserDirectory: Sendable {
    let client: DependencyClient

    /// A directory calling the user service through `client`.
    public init(client: DependencyClient) {
        self.client = client
    }

    /// Whether user `id` exists.
    ///
    /// - Throws: `DependencyError` when the user service cannot answer, or answers something else than 200 or 404.
    public func exists(userID id: String) async throws -> Bool {
        let answer = try await self.client.send(.GET, "/users/" + PathSegment.escape(id), idempotent: true)
        switch answer.status {
        case 200: return true
        case 404: return false
        default:
            throw DependencyError(service: "users", reason: "GET /users/{id} answered \(answer.status)")
        }
    }
}

/// Percent-encoding of one path segment.
enum PathSegment {
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
