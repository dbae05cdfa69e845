import AsyncHTTPClient
import Foundation
import NIOCore

/// A service's own access token for calling another service: obtained from the user service with the
/// client-credentials grant (`<SERVICE>_CLIENT_ID` / `<SERVICE>_CLIENT_SECRET`), kept until shortly before it
/// expires, and shared by concurrent callers. Services never call each other with shared secrets.
public actor ClientCredentialsTokenProvider {
    /// The token endpoint, such as `http://127.0.0.1:8101/oauth/token`.
    public let tokenURL: String
    /// The client's id.
    public let clientID: String
    private let clientSecret: String
    private let scope: String?
    private let httpClient: HTTPClient
    private let refreshMargin: Duration
    private var current: (token: String, expires: ContinuousClock.Instant)?
    private var request: Task<(String, ContinuousClock.Instant), any Error>?

    /// A provider for `clientID` at `tokenURL`, asking for `scopes` (the client's own when empty).
    public init(
        tokenURL: String, clientID: String, clientSecret: String, scopes: [String] = [],
        httpClient: HTTPClient = .shared, refreshMargin: Duration = .seconds(30)
    ) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scopes.isEmpty ? nil : scopes.joined(separator: " ")
        self.httpClient = httpClient
        self.refreshMargin = refreshMargin
    }

    /// A provider from `<SERVICE>_CLIENT_ID`, `<SERVICE>_CLIENT_SECRET` and `USERS_URL` (default
    /// `http://127.0.0.1:8101`); `nil` when the client's variables are not set.
    public static func fromEnvironment(
        service: String, environment: [String: String], scopes: [String]
    ) -> ClientCredentialsTokenProvider? {
        let prefix = service.uppercased()
        guard let id = environment["\(prefix)_CLIENT_ID"], let secret = environment["\(prefix)_CLIENT_SECRET"] else {
            return nil
        }
        let base = environment["USERS_URL"] ?? "http://127.0.0.1:8101"
        return ClientCredentialsTokenProvider(
            tokenURL: base + "/oauth/token", clientID: id, clientSecret: secret, scopes: scopes)
    }

    /// A valid access token, fetched when there is none or it is about to expire.
    ///
    /// - Throws: `ClientCredentialsError` when the user service refuses or cannot be reached.
    public func token() async throws -> String {
        if let current, ContinuousClock.now + self.refreshMargin < current.expires { return current.token }
        if let request { return try await request.value.0 }
        let task = Task { try await self.fetch() }
        self.request = task
        defer { self.request = nil }
        let (token, expires) = try await task.value
        self.current = (token, expires)
        return token
    }

    /// `Authorization: Bearer ...` for a request to another service.
    public func authorizationHeader() async throws -> String {
        "Bearer " + (try await self.token())
    }

    private struct TokenResponse: Decodable {
        let access_token: String
        let expires_in: Int
    }

    private nonisolated func fetch() async throws -> (String, ContinuousClock.Instant) {
        var request = HTTPClientRequest(url: self.tokenURL)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        let credentials = FormBody.encode(self.clientID) + ":" + FormBody.encode(self.clientSecret)
        request.headers.add(name: "authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        var form = [("grant_type", "client_credentials")]
        if let scope = self.scope { form.append(("scope", scope)) }
        request.body = .bytes(ByteBuffer(string: FormBody.encode(form)))
        let started = ContinuousClock.now
        let response = try await self.httpClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok else {
            throw ClientCredentialsError(status: Int(response.status.code), body: String(buffer: body))
        }
        let decoded = try JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView))
        return (decoded.access_token, started + .seconds(decoded.expires_in))
    }
}

/// The user service refused a client-credentials request.
public struct ClientCredentialsError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status it answered.
    public let status: Int
    /// Its RFC 6749 error document.
    public let body: String

    public var description: String { "the token endpoint answered \(self.status): \(self.body)" }
}
