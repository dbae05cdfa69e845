import Foundation
import NotificationService
import ServiceKit
import Testing

/// The settings from the environment: providers chosen by their variables, bad values refused naming them.
@Suite struct NotificationServiceConfigurationTests {
    @Test func withoutProvidersEverythingGoesToTheOutbox() throws {
        let configuration = try NotificationServiceConfiguration.fromEnvironment([:])
        #expect(configuration.email == nil && configuration.twilio == nil && configuration.push == nil)
        let channels = try configuration.channels()
        #expect(
            [channels.email.provider, channels.sms.provider, channels.push.provider] == ["outbox", "outbox", "outbox"])
    }

    @Test func providersFromTheirVariables() throws {
        let configuration = try NotificationServiceConfiguration.fromEnvironment([
            "SES_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
            "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FROM": "+15005550006",
            "PUSH_WEBHOOK_URL": "https://push.example.com/hook", "PUSH_WEBHOOK_SECRET": "whsec",
            "MAIL_FROM": "Shop <shop@example.com>", "USERS_URL": "http://users:8101/",
        ])
        #expect(
            configuration.email
                == .ses(SESSettings(region: "eu-west-1", accessKeyID: "AKID", secretAccessKey: "secret")))
        #expect(configuration.twilio?.baseURL == "https://api.twilio.com")
        #expect(configuration.push == .webhook(url: "https://push.example.com/hook", secret: "whsec"))
        #expect(configuration.jwksURL == "http://users:8101/.well-known/jwks.json")
        let channels = try configuration.channels()
        #expect(
            [channels.email.provider, channels.sms.provider, channels.push.provider] == ["ses", "twilio", "webhook"])
        if case .ses(let settings) = configuration.email {
            #expect(settings.endpoint == "https://email.eu-west-1.amazonaws.com")
        }
        let smtp = try NotificationServiceConfiguration.fromEnvironment(["SMTP_URL": "smtps://u:p@mail.example.com"])
        #expect(try smtp.channels().email.provider == "smtp")
    }

    @Test(arguments: [
        (["SMTP_URL": "mail.example.com"], "SMTP_URL: expected smtp://"),
        (["SES_REGION": "eu-west-1"], "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set"),
        (
            ["SES_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "SES_ENDPOINT": "ses"],
            "SES_ENDPOINT: expected an http:// or https:// URL"
        ),
        (["TWILIO_ACCOUNT_SID": "AC1"], "TWILIO_AUTH_TOKEN and TWILIO_FROM must be set"),
        (["PUSH_WEBHOOK_URL": "https://push.example.com"], "PUSH_WEBHOOK_SECRET must be set"),
        (["FCM_CREDENTIALS": "/nonexistent/key.json"], "FCM_CREDENTIALS: /nonexistent/key.json"),
        (["MAIL_FROM": "shop"], "MAIL_FROM: expected an address"),
    ])
    func badSettingsAreRefusedNamingThem(_ environment: [String: String], _ message: String) {
        let error = #expect(throws: ServiceConfigurationError.self) {
            try NotificationServiceConfiguration.fromEnvironment(environment)
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}

/// Emails as RFC 5322 text.
@Suite struct EmailMessageTests {
    @Test func asciiStaysReadableAndTheRestIsEncoded() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let plain = EmailMessage(
            from: "Acme <no-reply@acme.test>", to: ["ada@example.com"], subject: "Hello", body: "Line 1\nLine 2",
            messageID: "m-1@acme", date: date)
        #expect(plain.fromAddress == "no-reply@acme.test")
        #expect(
            plain.rfc5322 == """
                From: Acme <no-reply@acme.test>\r
                To: ada@example.com\r
                Subject: Hello\r
                Date: Tue, 14 Nov 2023 22:13:20 +0000\r
                Message-ID: <m-1@acme>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: 7bit\r
                \r
                Line 1\r
                Line 2\r

                """)
        let accented = EmailMessage(
            from: "a@b.test", to: ["c@d.test"], subject: "Grüße", body: "Grüße", messageID: "m-2@acme", date: date)
        #expect(accented.rfc5322.contains("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"))
        #expect(accented.rfc5322.contains("Content-Transfer-Encoding: base64\r\n\r\nR3LDvMOfZQ==\r\n"))
    }
}
