import Foundation

/// One notification of one event on one channel: the delivery log's entry. There is at most one per
/// (event id, channel), however often the bus delivers the event.
public struct Delivery: Sendable, Hashable, Encodable {
    /// Where a delivery stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Being sent (or the process stopped while sending).
        case pending
        /// The provider accepted it.
        case sent
        /// The provider refused it for good, or every attempt failed.
        case failed
    }

    /// The delivery's id; also the idempotency key given to providers that take one.
    public var id: String
    /// The event's id.
    public var eventID: String
    /// The event's type.
    public var eventType: String
    /// The user notified.
    public var userID: String
    /// The channel.
    public var channel: ChannelKind
    /// The provider that sends on the channel (`smtp`, `ses`, `twilio`, `fcm`, `webhook`, `outbox`).
    public var provider: String
    /// The addresses, numbers or tokens it went to.
    public var recipients: [String]
    /// The subject (email) or title (push); empty for text messages.
    public var subject: String
    /// Where it stands.
    public var status: Status
    /// The provider's id for the message, once sent.
    public var providerMessageID: String?
    /// Why it failed, when it did.
    public var error: String?
    /// Each attempt, oldest first.
    public var attempts: [Attempt]
    /// When the delivery was claimed.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// One try at sending; in the delivery log `{number, status, outcome, error, at}`, where `status` and
    /// `outcome` carry the same value (`sent`, `temporary_failure`, `permanent_failure`).
    public struct Attempt: Sendable, Hashable, Encodable {
        /// How an attempt ended.
        public enum Outcome: String, Sendable, Hashable, Codable {
            /// The provider accepted the message.
            case sent
            /// A failure worth retrying (a 5xx, a timeout, a refused connection).
            case temporaryFailure = "temporary_failure"
            /// A failure that retrying cannot fix (a 4xx, a refused address).
            case permanentFailure = "permanent_failure"
        }

        /// 1 for the first.
        public var number: Int
        /// How it ended.
        public var outcome: Outcome
        /// What the provider or the connection said, on failure.
        public var error: String?
        /// When it ended.
        public var at: Date

        /// An attempt.
        public init(number: Int, outcome: Outcome, error: String?, at: Date) {
            self.number = number
            self.outcome = outcome
            self.error = error
            self.at = at
        }

        private enum CodingKeys: String, CodingKey {
            case number, status, outcome, error, at
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.number, forKey: .number)
            try container.encode(self.outcome, forKey: .status)
            try container.encode(self.outcome, forKey: .outcome)
            try container.encode(self.error, forKey: .error)
            try container.encode(self.at, forKey: .at)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, eventID = "eventId", eventType, userID = "userId", channel, provider, recipients, subject, status
        case providerMessageID = "providerMessageId", error, attempts, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.eventID, forKey: .eventID)
        try container.encode(self.eventType, forKey: .eventType)
        try container.encode(self.userID, forKey: .userID)
        try container.encode(self.channel, forKey: .channel)
        try container.encode(self.provider, forKey: .provider)
        try container.encode(self.recipients, forKey: .recipients)
        try container.encode(self.subject, forKey: .subject)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.providerMessageID, forKey: .providerMessageID)
        try container.encode(self.error, forKey: .error)
        try container.encode(self.attempts, forKey: .attempts)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.updatedAt, forKey: .updatedAt)
    }
}
