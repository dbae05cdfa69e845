/// The channel that sends each kind of notification.
public struct ChannelSet: Sendable {
    /// Email: SMTP, SES or the outbox.
    public var email: any NotificationChannel
    /// Text messages: Twilio or the outbox.
    public var sms: any NotificationChannel
    /// Push: FCM, a webhook or the outbox.
    public var push: any NotificationChannel

    /// A set of channels.
    public init(email: any NotificationChannel, sms: any NotificationChannel, push: any NotificationChannel) {
        self.email = email
        self.sms = sms
        self.push = push
    }

    /// Every channel writing to `outbox`.
    public static func outbox(_ outbox: OutboxChannel) -> ChannelSet {
        ChannelSet(email: outbox, sms: outbox, push: outbox)
    }

    /// The channel for `kind`.
    public subscript(kind: ChannelKind) -> any NotificationChannel {
        switch kind {
        case .email: return self.email
        case .sms: return self.sms
        case .push: return self.push
        }
    }
}
