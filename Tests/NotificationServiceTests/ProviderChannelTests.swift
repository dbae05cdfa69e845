import Crypto
import Foundation
import HTTPTypes
import JWT
import NotificationService
import ServiceKit
import Testing

/// Twilio, FCM and the push webhook against loopback servers that check each request as the providers document it.
@Suite struct ProviderChannelTests {
    static func message(_ channel: ChannelKind, to recipients: [String]) -> OutgoingMessage {
        OutgoingMessage(
            channel: channel, recipients: recipients, subject: "Order shipped", body: "Order ord-1 is on its way.",
            idempotencyKey: "delivery-9", eventType: "shipment.dispatched")
    }

    @Test func twilioMessagesAPI() async throws {
        let twilio = ScriptedProvider(
            statuses: [.created], answers: ["/2010-04-01/Accounts/AC123/Messages.json": #"{"sid":"SM42"}"#])
        let sid = try await twilio.serve { url in
            try await TwilioSMSChannel(
                settings: .init(accountSID: "AC123", authToken: "tok", from: "+15005550006", baseURL: url)
            ).send(Self.message(.sms, to: ["+4915112345678"]))
        }
        #expect(sid == "SM42")
        let request = try #require(twilio.requests.first)
        #expect(twilio.requests.count == 1)
        #expect(request.path == "/2010-04-01/Accounts/AC123/Messages.json")
        #expect(request.headers[.authorization] == "Basic " + Data("AC123:tok".utf8).base64EncodedString())
        #expect(request.headers[.contentType] == "application/x-www-form-urlencoded")
        // The Messages API documents no idempotency header: none is claimed.
        #expect(request.headers[HTTPField.Name("I-Twilio-Idempotency-Token")!] == nil)
        let form = FormBody(parsing: request.body)
        #expect(form.values == ["To": "+4915112345678", "From": "+15005550006", "Body": "Order ord-1 is on its way."])
    }

    @Test func twilioMessagingServiceSender() async throws {
        let twilio = ScriptedProvider(
            statuses: [.created], answers: ["/2010-04-01/Accounts/AC123/Messages.json": #"{"sid":"SM43"}"#])
        let service = "MG9752274e9e519418a7406176694466fa"
        let sid = try await twilio.serve { url in
            try await TwilioSMSChannel(
                settings: .init(accountSID: "AC123", authToken: "tok", from: service, baseURL: url)
            ).send(Self.message(.sms, to: ["+4915112345678"]))
        }
        #expect(sid == "SM43")
        let request = try #require(twilio.requests.first)
        let form = FormBody(parsing: request.body)
        #expect(form.values["MessagingServiceSid"] == service)
        #expect(form.values["From"] == nil)
        #expect(form.values["To"] == "+4915112345678")
    }

    @Test func twilioRefusalsAreClassified() async throws {
        for (status, kind) in [
            (HTTPResponse.Status.badRequest, DeliveryFailure.Kind.permanent), (.serviceUnavailable, .temporary),
        ] {
            let twilio = ScriptedProvider(statuses: [status], answers: [:])
            let error = try await twilio.serve { url in
                await #expect(throws: DeliveryFailure.self) {
                    try await TwilioSMSChannel(
                        settings: .init(accountSID: "AC1", authToken: "t", from: "+1", baseURL: url)
                    )
                    .send(Self.message(.sms, to: ["+4915112345678"]))
                }
            }
            #expect(error?.kind == kind)
        }
    }

    @Test func fcmHTTPv1WithAServiceAccountToken() async throws {
        let pair = try JWTKeyPair.rsa()
        let fcm = ScriptedProvider(
            statuses: [.ok],
            answers: [
                "/token": #"{"access_token":"ya29.test","expires_in":3600,"token_type":"Bearer"}"#,
                "/v1/projects/acme-test/messages:send": #"{"name":"projects/acme-test/messages/1"}"#,
            ])
        let names = try await fcm.serve { url in
            let account = FCMServiceAccount(
                projectID: "acme-test", clientEmail: "push@acme-test.iam.gserviceaccount.com",
                privateKey: pair.privatePEM, privateKeyID: "key-1", tokenURI: url + "/token")
            return try await FCMPushChannel(account: account, baseURL: url).send(
                Self.message(.push, to: ["device-1", "device-2"]))
        }
        #expect(names == "projects/acme-test/messages/1,projects/acme-test/messages/1")
        let requests = fcm.requests
        // One token for both messages.
        try #require(
            requests.map(\.path) == [
                "/token", "/v1/projects/acme-test/messages:send", "/v1/projects/acme-test/messages:send",
            ])

        let form = FormBody(parsing: requests[0].body)
        #expect(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        let assertion = try JWTVerifier.verify(
            token: try #require(form["assertion"]), key: try .publicKey(pem: pair.publicPEM), algorithm: .rs256)
        #expect(assertion.header.alg == "RS256")
        #expect(assertion.header.kid == "key-1")
        #expect(assertion.claims.iss == "push@acme-test.iam.gserviceaccount.com")
        #expect(assertion.claims.scope == "https://www.googleapis.com/auth/firebase.messaging")
        #expect(assertion.claims.aud?.first?.hasSuffix("/token") == true)
        #expect((assertion.claims.exp ?? 0) - (assertion.claims.iat ?? 0) == 3600)

        for (request, token) in zip(requests.dropFirst(), ["device-1", "device-2"]) {
            #expect(request.headers[.authorization] == "Bearer ya29.test")
            let body = try #require(
                try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: [String: Any]])
            let message = try #require(body["message"])
            #expect(message["token"] as? String == token)
            #expect(
                message["notification"] as? [String: String] == [
                    "title": "Order shipped", "body": "Order ord-1 is on its way.",
                ])
            #expect(
                message["data"] as? [String: String] == [
                    "event_type": "shipment.dispatched", "delivery_id": "delivery-9",
                ])
        }
    }

    @Test func signedPushWebhook() async throws {
        let hook = ScriptedProvider(statuses: [.accepted], answers: [:])
        _ = try await hook.serve { url in
            try await WebhookPushChannel(
                url: url + "/push", secret: "whsec", now: { Date(timeIntervalSince1970: 1_700_000_000) }
            )
            .send(Self.message(.push, to: ["device-1"]))
        }
        let request = try #require(hook.requests.first)
        #expect(request.path == "/push")
        #expect(request.headers[HTTPField.Name("Idempotency-Key")!] == "delivery-9")
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data("1700000000.\(request.body)".utf8), using: SymmetricKey(data: Data("whsec".utf8)))
        let hex = expected.map { String(format: "%02x", $0) }.joined()
        // Signed like the WMS webhook, the same value also under the header sent before.
        #expect(request.headers[HTTPField.Name("X-WMS-Signature")!] == "t=1700000000,v1=\(hex)")
        #expect(request.headers[HTTPField.Name("X-Acme-Signature")!] == "t=1700000000,v1=\(hex)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
        #expect(body["tokens"] as? [String] == ["device-1"])
        #expect(body["id"] as? String == "delivery-9")
        #expect(body["title"] as? String == "Order shipped")
    }
}
