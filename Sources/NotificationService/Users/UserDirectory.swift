import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceKit

/// A user's address and name, as the user service knows them.
public struct UserContact: Sendable, Hashable {
    /// The email address.
    public var email: String?
    /// The display name.
    public var name: String?

    /// A contact.
    public init(email: String?, name: String?) {
        self.email = email
        self.name = name
    }
}

/// Where the service learns a user's address when the user has no preferences yet (registered before the
/// service ran): the user service's `GET /users/{id}`.
public protocol UserDirectory: Sendable {
    /// The user's contact; `nil` for a user that does not exist.
    func contact(userID: String) async throws -> UserContact?
}

/// The user service over HTTP, with the service's own client-credentials token (scope `users:read`).
public struct UserServiceDirectory: UserDirectory {
    /// The user service's base URL.
    public let baseURL: String
    private let tokens: ClientCredentialsTokenProvider
    private let httpClient: HTTPClient

    /// A directory at `baseURL`, authenticating with `tokens`.
    public init(baseURL: String, tokens: ClientCredentialsTokenProvider, httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tokens = tokens
        self.httpClient = httpClient
    }

    private struct Profile: Decodable {
        let email: String?
        let name: String?
    }

    public func contact(userID: String) async throws -> UserContact? {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        let escaped = userID.addingPercentEncoding(withAllowedCharacters: allowed) ?? userID
        var request = HTTPClientRequest(url: "\(self.baseURL)/users/\(escaped)")
        request.headers.add(name: "authorization", value: try await self.tokens.authorizationHeader())
        request.headers.add(name: "accept", value: "application/json")
        let response = try await self.httpClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        switch response.status.code {
        case 200:
            let profile = try JSONDecoder().decode(Profile.self, from: Data(body.readableBytesView))
            return UserContact(email: profile.email, name: profile.name)
        case 404:
            return nil
        default:
            throw UserDirectoryError(status: Int(response.status.code))
        }
    }
}

/// The user service answered something else than 200 or 404.
public struct UserDirectoryError: Error, Sendable, CustomStringConvertible {
    /// Its status.
    public let status: Int

    public var description: String { "the user service answered GET /users/{id} with \(self.status)" }
}
