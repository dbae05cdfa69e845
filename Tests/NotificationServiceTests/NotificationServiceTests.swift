import Foundation
import HummingbirdTesting
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// The service on each database: events become notifications per the user's preferences, once each, in the
/// delivery log and (with no provider) in the outbox folder.
@Suite(.serialized) struct NotificationServiceTests {
    @Test(arguments: TestDatabase.kinds)
    func aRegistrationSendsTheWelcomeEmailOnce(_ kind: TestDatabase.Kind) async throws {
        try await NotificationHarness.with(kind) { harness in
            let event = TestEvents.registered("ada", email: "ada@example.com", name: "Ada Lovelace")
            let first = try await harness.app.events.handle(event)
            #expect(first.map(\.status) == [.sent])
            #expect(first.first?.provider == "outbox")
            // The bus delivers again: nothing more is sent or recorded.
            #expect(try await harness.app.events.handle(event).isEmpty)

            let files = harness.outboxFiles()
            try #require(files.count == 1, "outbox: \(files.keys)")
            let eml = try #require(files.values.first)
            #expect(eml.contains("To: ada@example.com\r\n"))
            #expect(eml.contains("Subject: Welcome to Acme, Ada Lovelace\r\n"))
            #expect(eml.contains("X-Acme-Channel: email\r\n"))
            #expect(eml.contains("Hello Ada Lovelace,"))

            try await harness.test { client in
                let log = try await client.json(.get, "/notifications?user_id=ada", token: TestTokens.ada)
                #expect(log.status == .ok, "\(log.text)")
                let data = try #require(try log.object()["data"] as? [[String: Any]])
                try #require(data.count == 1)
                #expect(data[0]["event_id"] as? String == event.id)
                #expect(data[0]["channel"] as? String == "email")
                #expect(data[0]["status"] as? String == "sent")
                let attempts = try #require(data[0]["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["outcome"] as? String } == ["sent"])
                #expect(attempts.map { $0["status"] as? String } == ["sent"])
                // Another user may not read it; an administrator may.
                #expect(
                    try await client.json(.get, "/notifications?user_id=ada", token: TestTokens.bob).status
                        == .forbidden)
                #expect(
                    try await client.json(.get, "/notifications?user_id=ada", token: TestTokens.admin).status == .ok)
                #expect(try await client.json(.get, "/notifications?user_id=ada", token: nil).status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func preferencesChooseTheChannels(_ kind: TestDatabase.Kind) async throws {
        try await NotificationHarness.with(kind) { harness in
            try await harness.app.events.handle(TestEvents.registered("ada", email: "ada@example.com", name: "Ada"))
            try await harness.test { client in
                let put = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.ada,
                    body: """
                        {"email": "ada@work.example", "phone": "+4915112345678", "push_tokens": ["device-1"],
                         "channels": {"order.created": {"email": true, "sms": true, "push": false},
                                      "shipment.dispatched": {"push": true}}}
                        """)
                #expect(put.status == .ok, "\(put.text)")
                let got = try await client.json(.get, "/notifications/preferences/ada", token: TestTokens.ada)
                let document = try got.object()
                #expect(document["email"] as? String == "ada@work.example")
                #expect(document["push_tokens"] as? [String] == ["device-1"])
                let channels = try #require(document["channels"] as? [String: [String: Bool]])
                #expect(channels["order.created"] == ["email": true, "sms": true, "push": false])
                // Events not listed keep their switches (email on, from the registration).
                #expect(channels["order.cancelled"] == ["email": true, "sms": false, "push": false])

                #expect(
                    try await client.json(.get, "/notifications/preferences/ada", token: TestTokens.bob).status
                        == .forbidden)
                let bad = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.admin,
                    body: #"{"phone": "0151 123", "channels": {"order.shipped": {"email": true}}}"#)
                #expect(bad.status == .badRequest)
                let fields = try #require(try bad.object()["errors"] as? [[String: Any]]).compactMap {
                    $0["field"] as? String
                }
                #expect(fields == ["phone", "channels.order.shipped"])
            }

            let order = try await harness.app.events.handle(TestEvents.orderCreated("ord-1", userID: "ada"))
            #expect(order.map(\.channel) == [.email, .sms])
            #expect(order.map(\.recipients) == [["ada@work.example"], ["+4915112345678"]])
            let sms = try #require(harness.outboxFiles().values.first { $0.contains("X-Acme-Channel: sms") })
            #expect(sms.contains("Acme: order ord-1 confirmed, total 25.99 EUR."))

            // shipment.dispatched names only the order: its owner comes from order.created.
            let shipped = try await harness.app.events.handle(TestEvents.shipmentDispatched("ord-1"))
            #expect(shipped.map(\.channel) == [.email, .push])
            #expect(shipped.map(\.recipients) == [["ada@work.example"], ["device-1"]])
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func aDeliveryLeftPendingIsHandedOverAfterItsLease(_ kind: TestDatabase.Kind) async throws {
        try await NotificationHarness.with(kind) { harness in
            let store = harness.app.store
            let start = Date()
            func claim(at time: Date) async throws -> Delivery? {
                try await store.claim(
                    eventID: "event-1", eventType: "order.created", userID: "ada", channel: .sms, provider: "twilio",
                    recipients: ["+4915112345678"], subject: "", now: time)
            }
            let first = try #require(try await claim(at: start))
            try await store.record(
                Delivery.Attempt(number: 1, outcome: .temporaryFailure, error: "503", at: start), delivery: first.id)
            // The sender is still within its lease: nobody else sends, and the caller is told to come back later.
            let busy = await #expect(throws: DeliveryInProgressError.self) {
                try await claim(at: start.addingTimeInterval(60))
            }
            #expect(busy?.deliveryID == first.id)
            #expect(busy?.leaseRemaining == .seconds(240))
            // It stopped: the next one takes the same delivery over, its attempts with it.
            let resumed = try #require(try await claim(at: start.addingTimeInterval(600)))
            #expect(resumed.id == first.id)
            #expect(resumed.attempts.map(\.number) == [1])
            try await store.finish(delivery: first.id, status: .sent, providerMessageID: "SM1", error: nil, now: start)
            #expect(try await claim(at: start.addingTimeInterval(6000)) == nil)
        }
    }

    @Test func eventsArriveThroughTheBus() async throws {
        try await NotificationHarness.with(.sqlite) { harness in
            let event = TestEvents.registered("ada", email: "ada@example.com", name: "Ada")
            try await harness.bus.publish(event)
            try await harness.bus.publish(event)
            #expect(try await eventually { harness.outboxFiles().count == 1 })
            let (deliveries, _) = try await harness.app.store.deliveries(userID: "ada", limit: 10, after: nil)
            #expect(deliveries.count == 1)
        }
    }

    @Test func templatesCanBeReplaced() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-templates-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "Ahoy {{{user.name}}}!".write(
            toFile: folder + "/user.registered.email.subject.mustache", atomically: true, encoding: .utf8)
        try await NotificationHarness.with(.sqlite, configure: { $0.templatesDirectory = folder }) { harness in
            let sent = try await harness.app.events.handle(
                TestEvents.registered("ada", email: "ada@example.com", name: "Ada"))
            #expect(sent.first?.subject == "Ahoy Ada!")
            // The body still comes from the bundled template.
            #expect(harness.outboxFiles().values.first?.contains("welcome to Acme") == true)
        }
    }

    /// The user's welcome email sent through SES at `provider`, the deliveries made.
    static func welcome(through provider: ScriptedProvider, userID: String) async throws -> [Delivery] {
        try await provider.serve { url in
            let ses = SESEmailChannel(
                settings: SESSettings(region: "us-east-1", endpoint: url, accessKeyID: "AKID", secretAccessKey: "s"),
                from: "no-reply@acme.test")
            let outbox = OutboxChannel(directory: "/nonexistent", from: "x@y.test")
            return try await NotificationHarness.with(
                .sqlite, channels: ChannelSet(email: ses, sms: outbox, push: outbox)
            ) { harness in
                try await harness.app.events.handle(
                    TestEvents.registered(userID, email: "\(userID)@example.com", name: userID))
            }
        }
    }

    @Test func temporaryFailuresAreRetriedAndPermanentOnesAreNot() async throws {
        let flaky = ScriptedProvider(
            statuses: [.serviceUnavailable, .badGateway, .ok],
            answers: ["/v2/email/outbound-emails": #"{"MessageId":"ses-1"}"#])
        let sent = try #require(try await Self.welcome(through: flaky, userID: "ada").first)
        #expect(sent.status == .sent)
        #expect(sent.providerMessageID == "ses-1")
        #expect(sent.attempts.map(\.outcome) == [.temporaryFailure, .temporaryFailure, .sent])
        #expect(flaky.requests.count == 3)

        let refusing = ScriptedProvider(statuses: [.badRequest], answers: [:])
        let failed = try #require(try await Self.welcome(through: refusing, userID: "bob").first)
        #expect(failed.status == .failed)
        #expect(failed.attempts.map(\.outcome) == [.permanentFailure])
        #expect(failed.error?.contains("400") == true)
        #expect(refusing.requests.count == 1)
        let request = try #require(refusing.requests.first)
        #expect(request.path == "/v2/email/outbound-emails")
        #expect(request.headers[.authorization]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/") == true)
        #expect(
            request.headers[.authorization]?.contains(
                "/us-east-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date,") == true)
    }
}
