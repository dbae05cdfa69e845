import AsyncHTTPClient
import Foundation
import JWT
import ServiceKit

/// Push notifications through Firebase Cloud Messaging's HTTP v1 API: `POST /v1/projects/{project}/messages:send`
/// per device token, `{"message": {"token", "notification": {"title", "body"}, "data": {...}}}`, with an OAuth
/// access token obtained for the service account: an RS256-signed JWT assertion (iss the account's email, scope
/// `https://www.googleapis.com/auth/firebase.messaging`, aud the token URL, an hour long) exchanged at the token
/// URL with the `urn:ietf:params:oauth:grant-type:jwt-bearer` grant, and kept until shortly before it expires.
public struct FCMPushChannel: NotificationChannel {
    /// The messaging scope.
    public static let scope = "https://www.googleapis.com/auth/firebase.messaging"
    /// The service account.
    public let account: FCMServiceAccount
    /// `FCM_BASE_URL`, default `https://fcm.googleapis.com`.
    public let baseURL: String
    private let tokens: FCMAccessTokens
    private let http: ProviderHTTP

    public var provider: String { "fcm" }

    /// A channel for `account`; `tokenURL` (`FCM_TOKEN_URL`) replaces the account's `token_uri`.
    public init(
        account: FCMServiceAccount, baseURL: String = "https://fcm.googleapis.com", tokenURL: String? = nil,
        httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)
    ) {
        self.account = account
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let http = ProviderHTTP(provider: "FCM", httpClient: httpClient, timeout: timeout)
        self.http = http
        self.tokens = FCMAccessTokens(
            account: account, tokenURL: tokenURL ?? account.tokenURI,
            http: ProviderHTTP(provider: "the FCM token endpoint", httpClient: httpClient, timeout: timeout))
    }

    private struct Send: Encodable {
        struct Notification: Encodable {
            let title: String
            let body: String
        }
        struct Message: Encodable {
            let token: String
            let notification: Notification
            let data: [String: String]
        }
        let message: Message
    }

    private struct Sent: Decodable { let name: String? }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let url = "\(self.baseURL)/v1/projects/\(self.account.projectID)/messages:send"
        var names: [String] = []
        for token in message.recipients {
            let body = try JSONEncoder().encode(
                Send(
                    message: .init(
                        token: token, notification: .init(title: message.subject, body: message.body),
                        data: ["event_type": message.eventType, "delivery_id": message.idempotencyKey])))
            let accessToken = try await self.tokens.token()
            let answer = try await self.http.post(
                url,
                headers: [
                    ("authorization", "Bearer \(accessToken)"),
                    ("content-type", "application/json; charset=UTF-8"),
                ],
                body: body)
            if let name = try? JSONDecoder().decode(Sent.self, from: Data(answer.readableBytesView)).name {
                names.append(name)
            }
        }
        return names.isEmpty ? nil : names.joined(separator: ",")
    }
}

/// The service account's access tokens: one at a time, renewed a minute before it expires.
actor FCMAccessTokens {
    private let account: FCMServiceAccount
    private let tokenURL: String
    private let http: ProviderHTTP
    private var current: (token: String, expires: ContinuousClock.Instant)?

    init(account: FCMServiceAccount, tokenURL: String, http: ProviderHTTP) {
        self.account = account
        self.tokenURL = tokenURL
        self.http = http
    }

    private struct TokenResponse: Decodable {
        let access_token: String
        let expires_in: Int
    }

    /// A valid access token.
    ///
    /// - Throws: `DeliveryFailure` when the token endpoint refuses or cannot be reached; a permanent one when the
    ///   private key cannot sign.
    func token() async throws -> String {
        if let current, ContinuousClock.now + .seconds(60) < current.expires { return current.token }
        let started = ContinuousClock.now
        let form = FormBody.encode([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", try self.assertion()),
        ])
        let answer = try await self.http.post(
            self.tokenURL, headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(answer.readableBytesView)) else {
            throw DeliveryFailure(.temporary, "the FCM token endpoint answered without an access_token")
        }
        self.current = (decoded.access_token, started + .seconds(decoded.expires_in))
        return decoded.access_token
    }

    /// The signed JWT assertion.
    private func assertion() throws -> String {
        let now = Date().timeIntervalSince1970.rounded(.down)
        let claims: [String: JSONValue] = [
            "iss": .string(self.account.clientEmail), "scope": .string(FCMPushChannel.scope),
            "aud": .string(self.tokenURL), "iat": .number(now), "exp": .number(now + 3600),
        ]
        do {
            return try JWTSigner.sign(
                claims: claims, algorithm: .rs256, key: try JWTKey.privateKey(pem: self.account.privateKey),
                kid: self.account.privateKeyID)
        } catch {
            throw DeliveryFailure(.permanent, "FCM_CREDENTIALS: the private key cannot sign: \(error)")
        }
    }
}
