import AsyncHTTPClient
import Crypto
import Foundation

/// Push notifications handed to a generic webhook (`PUSH_WEBHOOK_URL`): a JSON POST
/// `{"id", "event_type", "tokens", "title", "body"}` signed like the WMS webhook, `X-WMS-Signature:
/// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with `PUSH_WEBHOOK_SECRET` (the same value also
/// as `X-Acme-Signature`, the header this channel sent first), and the delivery's id as `Idempotency-Key`.
public struct WebhookPushChannel: NotificationChannel {
    /// The signature's headers: the WMS webhook's, and the one receivers of earlier versions check.
    public static let signatureHeaders = ["X-WMS-Signature", "X-Acme-Signature"]
    /// The URL.
    public let url: String
    private let secret: String
    private let http: ProviderHTTP
    private let now: @Sendable () -> Date

    public var provider: String { "webhook" }

    /// A channel to the webhook at `url`, signing with `secret`.
    public init(
        url: String, secret: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.url = url
        self.secret = secret
        self.http = ProviderHTTP(provider: "the push webhook", httpClient: httpClient, timeout: timeout)
        self.now = now
    }

    private struct Payload: Encodable {
        let id: String
        let event_type: String
        let tokens: [String]
        let title: String
        let body: String
    }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(
            Payload(
                id: message.idempotencyKey, event_type: message.eventType, tokens: message.recipients,
                title: message.subject, body: message.body))
        let timestamp = Int64(self.now().timeIntervalSince1970)
        let signature = Self.signature(body: body, secret: self.secret, timestamp: timestamp)
        _ = try await self.http.post(
            self.url,
            headers: [("content-type", "application/json"), ("idempotency-key", message.idempotencyKey)]
                + Self.signatureHeaders.map { ($0, signature) },
            body: body)
        return message.idempotencyKey
    }

    /// `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
    public static func signature(body: Data, secret: String, timestamp: Int64) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + SigV4Signer.hex(code)
    }
}
