import AsyncHTTPClient
import Foundation
import JWT
import NIOCore
import ServiceKit

/// Push notifications through Firebase Cloud Messaging's HTTP v1 API: `POST /v1/projects/{project}/messages:send`
/// per device token, `{"message": {"token", "notification": {"title", "body"}, "data": {...}}}`, with an OAuth
/// access token obtained for the service account: an RS256-signed JWT assertion (iss the account's email, scope
/// `https://www.googleapis.com/auth/firebase.messaging`, aud the token URL, an hour long) exchanged at the token
/// URL with the `urn:ietf:params:oauth:grant-type:jwt-bearer` grant, and kept until shortly before it expires. A 401
/// drops the cached token and sends once more with a new one.
///
/// Each token is sent to on its own: one token's failure does not stop the others. A token FCM refuses for good
/// (404 `UNREGISTERED`, 400 `INVALID_ARGUMENT`) does not fail the delivery when another token got the message; a
/// temporary failure (5xx, 429) of any token fails the attempt temporarily, and the retry sends only to the tokens
/// that have no answer yet (`FCMDeliveryProgress`).
public struct FCMPushChannel: NotificationChannel {
    /// The messaging scope.
    public static let scope = "https://www.googleapis.com/auth/firebase.messaging"
    /// The service account.
    public let account: FCMServiceAccount
    /// `FCM_BASE_URL`, default `https://fcm.googleapis.com`.
    public let baseURL: String
    private let tokens: FCMAccessTokens
    private let http: ProviderHTTP
    private let progress = FCMDeliveryProgress()

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
        var results = await self.progress.results(delivery: message.idempotencyKey)
        var temporary: [(token: String, failure: DeliveryFailure)] = []
        for token in message.recipients where results[token] == nil {
            do {
                results[token] = .sent(name: try await self.send(message, to: token))
            } catch let failure as DeliveryFailure where failure.kind == .permanent {
                results[token] = .refused(reason: failure.reason)
            } catch let failure as DeliveryFailure {
                temporary.append((token, failure))
            } catch {
                // Cancelled, or a failure of our own: what was sent stays known for the next attempt.
                await self.progress.keep(results, delivery: message.idempotencyKey)
                throw error
            }
        }
        guard temporary.isEmpty else {
            await self.progress.keep(results, delivery: message.idempotencyKey)
            throw DeliveryFailure(
                .temporary,
                "FCM: \(temporary.count) of \(message.recipients.count) tokens failed for now: "
                    + temporary.map { "\($0.token.prefix(12))...: \($0.failure.reason)" }.joined(separator: "; "),
                retryAfter: temporary.compactMap(\.failure.retryAfter).max())
        }
        await self.progress.forget(delivery: message.idempotencyKey)
        let outcomes = message.recipients.compactMap { results[$0] }
        var names: [String] = []
        var sent = false
        var refusals: [String] = []
        for outcome in outcomes {
            switch outcome {
            case .sent(let name):
                sent = true
                if let name { names.append(name) }
            case .refused(let reason):
                refusals.append(reason)
            }
        }
        guard sent else {
            throw DeliveryFailure(.permanent, "FCM refused every token: " + refusals.joined(separator: "; "))
        }
        return names.isEmpty ? nil : names.joined(separator: ",")
    }

    /// Sends `message` to device `token`; returns FCM's name for it. A 401 (the access token was revoked or expired
    /// early) drops the cached access token and tries once more with a new one.
    private func send(_ message: OutgoingMessage, to token: String) async throws -> String? {
        let url = "\(self.baseURL)/v1/projects/\(self.account.projectID)/messages:send"
        let body = try JSONEncoder().encode(
            Send(
                message: .init(
                    token: token, notification: .init(title: message.subject, body: message.body),
                    data: ["event_type": message.eventType, "delivery_id": message.idempotencyKey])))
        let accessToken = try await self.tokens.token()
        let answer: ByteBuffer
        do {
            answer = try await self.post(body, to: url, accessToken: accessToken)
        } catch let failure as DeliveryFailure where failure.status == 401 {
            await self.tokens.invalidate(accessToken)
            answer = try await self.post(body, to: url, accessToken: try await self.tokens.token())
        }
        return try? JSONDecoder().decode(Sent.self, from: Data(answer.readableBytesView)).name
    }

    private func post(_ body: Data, to url: String, accessToken: String) async throws -> ByteBuffer {
        try await self.http.post(
            url,
            headers: [
                ("authorization", "Bearer \(accessToken)"), ("content-type", "application/json; charset=UTF-8"),
            ],
            body: body)
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

    /// Drops `token` if it is the one kept, so that the next `token()` obtains a new one.
    func invalidate(_ token: String) {
        if self.current?.token == token { self.current = nil }
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
