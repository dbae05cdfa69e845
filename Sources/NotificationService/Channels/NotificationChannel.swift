/// A notification ready to send on one channel: rendered, addressed, with the key that makes a provider's retry
/// of it harmless.
public struct OutgoingMessage: Sendable, Hashable {
    /// The channel.
    public var channel: ChannelKind
    /// Email addresses, phone numbers or push tokens.
    public var recipients: [String]
    /// The email's subject or the push notification's title; empty for text messages.
    public var subject: String
    /// The text.
    public var body: String
    /// Unique per delivery: the delivery's id. Providers that take an idempotency key get it.
    public var idempotencyKey: String
    /// The event's type, for providers that carry data beside the text.
    public var eventType: String

    /// A message.
    public init(
        channel: ChannelKind, recipients: [String], subject: String, body: String, idempotencyKey: String,
        eventType: String
    ) {
        self.channel = channel
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.idempotencyKey = idempotencyKey
        self.eventType = eventType
    }
}

/// A way of sending one kind of notification: SMTP or SES for email, Twilio for text messages, FCM or a webhook
/// for push, or the local outbox folder when no provider is configured.
public protocol NotificationChannel: Sendable {
    /// The provider's name in the delivery log (`smtp`, `ses`, `twilio`, `fcm`, `webhook`, `outbox`).
    var provider: String { get }

    /// Sends `message`; returns the provider's id for it, when it gives one.
    ///
    /// - Throws: `DeliveryFailure` saying whether a retry may help; any other error (a connection refused or
    ///   timed out) counts as temporary.
    func send(_ message: OutgoingMessage) async throws -> String?
}

/// A provider did not take a message.
public struct DeliveryFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether trying again may help.
    public enum Kind: Sendable, Hashable {
        /// A 5xx, a 429, a 4xx SMTP reply, a timeout: try again later.
        case temporary
        /// A 4xx, a 5xx SMTP reply, a bad address: trying again cannot help.
        case permanent
    }

    /// Whether trying again may help.
    public var kind: Kind
    /// What the provider said.
    public var reason: String
    /// The HTTP status the provider answered, for HTTP providers.
    public var status: Int?
    /// How long the provider asked to wait before trying again (`Retry-After` on a 429 or 503).
    public var retryAfter: Duration?

    /// A failure of `kind`.
    public init(_ kind: Kind, _ reason: String, status: Int? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.reason = reason
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { self.reason }

    /// Whether `error` is worth retrying: every error but a permanent `DeliveryFailure` and a cancellation.
    public static func isTemporary(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        return (error as? DeliveryFailure)?.kind != .permanent
    }

    /// The wait `error` asks for before the next attempt (a provider's `Retry-After`), if any.
    public static func requestedDelay(_ error: any Error) -> Duration? {
        (error as? DeliveryFailure)?.retryAfter
    }

    /// The failure an HTTP provider's status means, `nil` for 2xx: 408, 429 and 5xx are temporary, other
    /// statuses permanent. `retryAfter` (the answer's `Retry-After`) is kept for a 429 or 503 only.
    public static func forHTTPStatus(
        _ status: Int, provider: String, body: String, retryAfter: Duration? = nil
    ) -> DeliveryFailure? {
        if (200..<300).contains(status) { return nil }
        let reason = "\(provider) answered \(status): \(body.prefix(500))"
        let temporary = status == 408 || status == 429 || status >= 500
        return DeliveryFailure(
            temporary ? .temporary : .permanent, reason, status: status,
            retryAfter: status == 429 || status == 503 ? retryAfter : nil)
    }
}
