import AsyncHTTPClient
import Foundation
import JWT
import NIOCore

/// Email through the Amazon SES v2 API: `POST /v2/email/outbound-emails` (SendEmail) with simple content, signed
/// with Signature Version 4 (service `ses`). SES's `MessageId` is the provider's id. SendEmail takes no idempotency
/// key; the delivery log's (event, channel) claim keeps a redelivered event from sending twice.
public struct SESEmailChannel: NotificationChannel {
    /// The API.
    public let settings: SESSettings
    /// The sender (`MAIL_FROM`).
    public let from: String
    private let signer: SigV4Signer
    private let http: ProviderHTTP

    public var provider: String { "ses" }

    /// A channel to SES.
    public init(settings: SESSettings, from: String, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10))
    {
        self.settings = settings
        self.from = from
        self.signer = SigV4Signer(
            accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region,
            service: "ses")
        self.http = ProviderHTTP(provider: "SES", httpClient: httpClient, timeout: timeout)
    }

    private struct SendEmailResponse: Decodable { let MessageId: String? }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let request: JSONValue = [
            "FromEmailAddress": .string(self.from),
            "Destination": ["ToAddresses": .array(message.recipients.map(JSONValue.string))],
            "Content": [
                "Simple": [
                    "Subject": ["Data": .string(message.subject), "Charset": "UTF-8"],
                    "Body": ["Text": ["Data": .string(message.body), "Charset": "UTF-8"]],
                ]
            ],
        ]
        let body = try JSONEncoder().encode(request)
        let path = "/v2/email/outbound-emails"
        guard let url = URL(string: self.settings.endpoint + path), let host = url.host else {
            throw DeliveryFailure(.permanent, "SES_ENDPOINT is not a URL: \(self.settings.endpoint)")
        }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        let date = Date()
        let headers = [
            ("content-type", "application/json"), ("host", hostHeader), ("x-amz-date", SigV4Signer.amzDate(date)),
        ]
        let signature = self.signer.sign(
            method: "POST", path: path, query: "", headers: headers, payloadHash: SigV4Signer.payloadHash(body),
            date: date)
        let answer = try await self.http.post(
            self.settings.endpoint + path,
            headers: headers.filter { $0.0 != "host" } + [("authorization", signature.authorization)], body: body)
        return try? JSONDecoder().decode(SendEmailResponse.self, from: Data(answer.readableBytesView)).MessageId
    }
}
