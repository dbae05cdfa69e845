import Foundation

/// What a user wants to hear about, and where: channels on or off per event type, the email address, the phone
/// number (E.164) and the push tokens.
public struct NotificationPreferences: Sendable, Hashable {
    /// The user.
    public var userID: String
    /// Where emails go; `nil`: no emails.
    public var email: String?
    /// Where text messages go, in E.164 (`+4915112345678`); `nil`: no text messages.
    public var phone: String?
    /// The devices push notifications go to.
    public var pushTokens: [String]
    /// Per event type, whether each channel is on. A type or channel not listed is off.
    public var channels: [NotificationEvent: Set<ChannelKind>]
    /// The user's name, for the templates (from `user.registered` or the user service).
    public var name: String?
    /// When the preferences last changed.
    public var updatedAt: Date

    /// Preferences with everything given.
    public init(
        userID: String, email: String?, phone: String?, pushTokens: [String],
        channels: [NotificationEvent: Set<ChannelKind>], name: String?, updatedAt: Date
    ) {
        self.userID = userID
        self.email = email
        self.phone = phone
        self.pushTokens = pushTokens
        self.channels = channels
        self.name = name
        self.updatedAt = updatedAt
    }

    /// The preferences of a user who has set none: email on for every event, text messages and push off.
    public static func defaults(userID: String, email: String?, name: String?, now: Date) -> NotificationPreferences {
        NotificationPreferences(
            userID: userID, email: email, phone: nil, pushTokens: [],
            channels: Dictionary(uniqueKeysWithValues: NotificationEvent.allCases.map { ($0, [.email]) }),
            name: name, updatedAt: now)
    }

    /// Where `channel` sends for `event`: none when the channel is off or has no address.
    public func recipients(for event: NotificationEvent, on channel: ChannelKind) -> [String] {
        guard self.channels[event]?.contains(channel) == true else { return [] }
        switch channel {
        case .email: return self.email.map { [$0] } ?? []
        case .sms: return self.phone.map { [$0] } ?? []
        case .push: return self.pushTokens
        }
    }

    /// The channels as JSON: `{"order.created": {"email": true, "sms": false, "push": false}, ...}`, every event
    /// and channel listed.
    public var channelSwitches: [String: [String: Bool]] {
        Dictionary(
            uniqueKeysWithValues: NotificationEvent.allCases.map { event in
                let on = self.channels[event] ?? []
                return (
                    event.rawValue,
                    Dictionary(uniqueKeysWithValues: ChannelKind.allCases.map { ($0.rawValue, on.contains($0)) })
                )
            })
    }

    /// The answer of `GET /notifications/preferences/{user_id}`.
    public var document: Document {
        Document(
            userID: self.userID, email: self.email, phone: self.phone, pushTokens: self.pushTokens,
            channels: self.channelSwitches, updatedAt: self.updatedAt)
    }

    /// The preferences as the API shows them.
    public struct Document: Sendable, Hashable, Encodable {
        public var userID: String
        public var email: String?
        public var phone: String?
        public var pushTokens: [String]
        public var channels: [String: [String: Bool]]
        public var updatedAt: Date

        private enum CodingKeys: String, CodingKey {
            case userID = "userId", email, phone, pushTokens, channels, updatedAt
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.userID, forKey: .userID)
            try container.encode(self.email, forKey: .email)
            try container.encode(self.phone, forKey: .phone)
            try container.encode(self.pushTokens, forKey: .pushTokens)
            try container.encode(self.channels, forKey: .channels)
            try container.encode(self.updatedAt, forKey: .updatedAt)
        }
    }
}
