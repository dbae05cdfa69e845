import ServiceKit

/// The notification service's settings, from the environment (`fromEnvironment`) or set by tests.
public struct NotificationServiceConfiguration: Sendable {
    /// `iss` every token must carry (`USERS_ISSUER`).
    public var issuer: String = "http://127.0.0.1:8101"
    /// `aud` every token must name.
    public var audience: String = "acme-api"
    /// The user service (`USERS_URL`): its key set, and its users when the service has a client.
    public var usersURL: String = "http://127.0.0.1:8101"
    /// A folder of templates that replace the bundled ones of the same name (`TEMPLATES_DIR`).
    public var templatesDirectory: String?
    /// Where notifications go when a channel has no provider (`NOTIFICATIONS_OUTBOX`, default `./data/outbox`).
    public var outboxDirectory: String = "./data/outbox"
    /// The sender of emails (`MAIL_FROM`).
    public var mailFrom: String = "Acme <no-reply@acme.test>"
    /// Email's provider, when one is configured.
    public var email: EmailProvider?
    /// Twilio, for text messages, when configured.
    public var twilio: TwilioSMSChannel.Settings?
    /// Push's provider, when one is configured.
    public var push: PushProvider?
    /// How sending is retried.
    public var retry = RetryPolicy(maximumAttempts: 5, initialDelay: .milliseconds(500), maximumDelay: .seconds(30))

    /// Where email goes.
    public enum EmailProvider: Sendable, Hashable {
        /// An SMTP server (`SMTP_URL`).
        case smtp(SMTPSettings)
        /// Amazon SES v2 (`SES_REGION`, ...).
        case ses(SESSettings)
    }

    /// Where push notifications go.
    public enum PushProvider: Sendable, Hashable {
        /// FCM HTTP v1 (`FCM_CREDENTIALS`, `FCM_BASE_URL`, `FCM_TOKEN_URL`).
        case fcm(account: FCMServiceAccount, baseURL: String?, tokenURL: String?)
        /// A signed webhook (`PUSH_WEBHOOK_URL`, `PUSH_WEBHOOK_SECRET`).
        case webhook(url: String, secret: String)
    }

    /// The defaults.
    public init() {}

    /// The key set's URL.
    public var jwksURL: String { self.usersURL + "/.well-known/jwks.json" }

    /// The settings from the environment.
    ///
    /// - Throws: `ServiceConfigurationError` naming the variable that is not valid.
    public static func fromEnvironment(_ environment: [String: String]) throws -> NotificationServiceConfiguration {
        let value = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var configuration = NotificationServiceConfiguration()
        if let issuer = value("USERS_ISSUER") {
            configuration.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        }
        if let users = value("USERS_URL") {
            configuration.usersURL = users.hasSuffix("/") ? String(users.dropLast()) : users
        }
        configuration.templatesDirectory = value("TEMPLATES_DIR")
        if let outbox = value("NOTIFICATIONS_OUTBOX") { configuration.outboxDirectory = outbox }
        if let from = value("MAIL_FROM") {
            guard from.contains("@") else {
                throw ServiceConfigurationError("MAIL_FROM: expected an address or \"Name <address>\", got \"\(from)\"")
            }
            configuration.mailFrom = from
        }
        if let url = value("SMTP_URL") {
            var settings = try SMTPSettings(url: url)
            settings.trustedCAFile = value("SMTP_CA_FILE")
            settings.additionalCAFile = value("SSL_CERT_FILE")
            configuration.email = .smtp(settings)
        } else if let region = value("SES_REGION") {
            guard let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
                throw ServiceConfigurationError(
                    "SES_REGION is set: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set too")
            }
            configuration.email = .ses(
                SESSettings(
                    region: region, endpoint: try Self.httpURL(value("SES_ENDPOINT"), "SES_ENDPOINT"), accessKeyID: key,
                    secretAccessKey: secret))
        }
        if let sid = value("TWILIO_ACCOUNT_SID") {
            guard let token = value("TWILIO_AUTH_TOKEN"), let from = value("TWILIO_FROM") else {
                throw ServiceConfigurationError(
                    "TWILIO_ACCOUNT_SID is set: TWILIO_AUTH_TOKEN and TWILIO_FROM must be set too")
            }
            configuration.twilio = TwilioSMSChannel.Settings(
                accountSID: sid, authToken: token, from: from,
                baseURL: try Self.httpURL(value("TWILIO_BASE_URL"), "TWILIO_BASE_URL") ?? "https://api.twilio.com")
        }
        if let path = value("FCM_CREDENTIALS") {
            configuration.push = .fcm(
                account: try FCMServiceAccount.load(path: path),
                baseURL: try Self.httpURL(value("FCM_BASE_URL"), "FCM_BASE_URL"),
                tokenURL: try Self.httpURL(value("FCM_TOKEN_URL"), "FCM_TOKEN_URL"))
        } else if let url = try Self.httpURL(value("PUSH_WEBHOOK_URL"), "PUSH_WEBHOOK_URL") {
            guard let secret = value("PUSH_WEBHOOK_SECRET") else {
                throw ServiceConfigurationError("PUSH_WEBHOOK_URL is set: PUSH_WEBHOOK_SECRET must be set too")
            }
            configuration.push = .webhook(url: url, secret: secret)
        }
        return configuration
    }

    /// `text` when it is an http:// or https:// URL.
    private static func httpURL(_ text: String?, _ variable: String) throws -> String? {
        guard let text else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw ServiceConfigurationError("\(variable): expected an http:// or https:// URL, got \"\(text)\"")
        }
        return text
    }

    /// The channels these settings describe: the configured providers, the outbox for the rest.
    ///
    /// - Throws: when the SMTP TLS settings cannot be loaded.
    public func channels() throws -> ChannelSet {
        let outbox = OutboxChannel(directory: self.outboxDirectory, from: self.mailFrom)
        var channels = ChannelSet.outbox(outbox)
        switch self.email {
        case .smtp(let settings): channels.email = try SMTPEmailChannel(settings: settings, from: self.mailFrom)
        case .ses(let settings): channels.email = SESEmailChannel(settings: settings, from: self.mailFrom)
        case nil: break
        }
        if let twilio = self.twilio { channels.sms = TwilioSMSChannel(settings: twilio) }
        switch self.push {
        case .fcm(let account, let baseURL, let tokenURL):
            channels.push = FCMPushChannel(
                account: account, baseURL: baseURL ?? "https://fcm.googleapis.com", tokenURL: tokenURL)
        case .webhook(let url, let secret): channels.push = WebhookPushChannel(url: url, secret: secret)
        case nil: break
        }
        return channels
    }
}
