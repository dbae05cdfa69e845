import AsyncHTTPClient
import Foundation
import ServiceKit

/// Text messages through Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP
/// Basic auth (account SID and auth token) and a form body (`To`, `Body`, and `From`, or `MessagingServiceSid` when
/// `TWILIO_FROM` is a Messaging Service's SID, `MG...`). Twilio's message `sid` is the provider's id. The Messages
/// API documents no idempotency key: the delivery log's (event, channel) claim is what keeps a redelivered event
/// from sending twice.
public struct TwilioSMSChannel: NotificationChannel {
    /// The account, the sender and the API's base URL.
    public struct Settings: Sendable, Hashable {
        /// `TWILIO_ACCOUNT_SID`.
        public var accountSID: String
        /// `TWILIO_AUTH_TOKEN`.
        public var authToken: String
        /// `TWILIO_FROM`: the sending number (E.164) or a Messaging Service's SID (`MG...`).
        public var from: String
        /// `TWILIO_BASE_URL`, default `https://api.twilio.com`.
        public var baseURL: String

        /// Settings from their parts.
        public init(accountSID: String, authToken: String, from: String, baseURL: String = "https://api.twilio.com") {
            self.accountSID = accountSID
            self.authToken = authToken
            self.from = from
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
    }

    /// The settings.
    public let settings: Settings
    private let http: ProviderHTTP

    public var provider: String { "twilio" }

    /// A channel to Twilio.
    public init(settings: Settings, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.http = ProviderHTTP(provider: "Twilio", httpClient: httpClient, timeout: timeout)
    }

    private struct MessageResource: Decodable { let sid: String? }

    /// The form field naming the sender: `MessagingServiceSid` for a Messaging Service (a SID starting with `MG`),
    /// `From` for a number or an alphanumeric sender ID.
    var sender: (String, String) {
        (self.settings.from.hasPrefix("MG") ? "MessagingServiceSid" : "From", self.settings.from)
    }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let sid = self.settings.accountSID
        let url = "\(self.settings.baseURL)/2010-04-01/Accounts/\(FormBody.encode(sid))/Messages.json"
        let credentials = Data("\(sid):\(self.settings.authToken)".utf8).base64EncodedString()
        var sids: [String] = []
        for recipient in message.recipients {
            let form = FormBody.encode([("To", recipient), self.sender, ("Body", message.body)])
            let answer = try await self.http.post(
                url,
                headers: [
                    ("authorization", "Basic \(credentials)"), ("content-type", "application/x-www-form-urlencoded"),
                ],
                body: Array(form.utf8))
            if let sid = try? JSONDecoder().decode(MessageResource.self, from: Data(answer.readableBytesView)).sid {
                sids.append(sid)
            }
        }
        return sids.isEmpty ? nil : sids.joined(separator: ",")
    }
}
