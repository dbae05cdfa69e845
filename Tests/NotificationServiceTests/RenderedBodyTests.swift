import Foundation
import NotificationService
import ServiceKit
import Testing

/// What each channel's provider receives as the text: an email's body ends with a newline, a text message's and a
/// push notification's is the rendered template alone. SES, Twilio and the push webhook on one loopback server.
@Suite struct RenderedBodyTests {
    @Test func onlyEmailBodiesEndWithANewline() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-templates-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "\n  Order {{{data.order_id}}} is in.  \n\n".write(
            toFile: folder + "/order.created.push.body.mustache", atomically: true, encoding: .utf8)
        let provider = RoutedProvider { request, _ in
            switch request.path {
            case "/v2/email/outbound-emails": return .init(status: .ok, body: #"{"MessageId":"ses-1"}"#)
            case "/2010-04-01/Accounts/AC1/Messages.json": return .init(status: .created, body: #"{"sid":"SM1"}"#)
            default: return .init(status: .accepted)
            }
        }
        let sent = try await provider.serve { url in
            let channels = ChannelSet(
                email: SESEmailChannel(
                    settings: SESSettings(
                        region: "us-east-1", endpoint: url, accessKeyID: "AKID", secretAccessKey: "s"),
                    from: "no-reply@acme.test"),
                sms: TwilioSMSChannel(settings: .init(accountSID: "AC1", authToken: "t", from: "+1555", baseURL: url)),
                push: WebhookPushChannel(url: url + "/push", secret: "whsec"))
            return try await NotificationHarness.with(
                .sqlite, channels: channels, configure: { $0.templatesDirectory = folder }
            ) { harness in
                try await harness.app.store.save(
                    NotificationPreferences(
                        userID: "ada", email: "ada@example.com", phone: "+4915112345678", pushTokens: ["device-1"],
                        channels: [.orderCreated: [.email, .sms, .push]], name: "Ada", updatedAt: Date()))
                return try await harness.app.events.handle(TestEvents.orderCreated("ord-1", userID: "ada"))
            }
        }
        #expect(sent.map(\.status) == [.sent, .sent, .sent])

        let email = try #require(provider.requests(to: "/v2/email/outbound-emails").first)
        let content = try #require(
            try JSONSerialization.jsonObject(with: Data(email.body.utf8)) as? [String: Any])["Content"]
        let text = try #require(
            ((((content as? [String: Any])?["Simple"] as? [String: Any])?["Body"] as? [String: Any])?["Text"]
                as? [String: Any])?["Data"] as? String)
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"), "\(text.debugDescription)")

        let sms = try #require(provider.requests(to: "/2010-04-01/Accounts/AC1/Messages.json").first)
        #expect(FormBody(parsing: sms.body)["Body"] == "Acme: order ord-1 confirmed, total 25.99 EUR.")

        let push = try #require(provider.requests(to: "/push").first)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(push.body.utf8)) as? [String: Any])
        #expect(payload["body"] as? String == "Order ord-1 is in.")
        #expect(payload["title"] as? String == "Order confirmed")
    }
}
