import Foundation
import HTTPTypes
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// Deliveries left pending by a sender that stopped midway, and waits a provider asks for, against a loopback
/// Twilio.
@Suite(.serialized) struct DeliveryDispatcherTests {
    static let messagesPath = "/2010-04-01/Accounts/AC1/Messages.json"

    /// Runs `body` with the service sending text messages through `twilio` and ada set up for them on
    /// `order.created`.
    static func withTwilio<Result: Sendable>(
        _ twilio: RoutedProvider, _ kind: TestDatabase.Kind = .sqlite,
        retry: RetryPolicy = NotificationHarness.quickRetry,
        _ body: @Sendable @escaping (NotificationHarness) async throws -> Result
    ) async throws -> Result {
        try await twilio.serve { url in
            let sms = TwilioSMSChannel(
                settings: .init(accountSID: "AC1", authToken: "t", from: "+15005550006", baseURL: url))
            let outbox = OutboxChannel(directory: "/nonexistent", from: "x@y.test")
            return try await NotificationHarness.with(
                kind, channels: ChannelSet(email: outbox, sms: sms, push: outbox), configure: { $0.retry = retry }
            ) { harness in
                try await harness.app.store.save(
                    NotificationPreferences(
                        userID: "ada", email: nil, phone: "+4915112345678", pushTokens: [],
                        channels: [.orderCreated: [.sms]], name: "Ada", updatedAt: Date()))
                return try await body(harness)
            }
        }
    }

    static func claimSMS(_ store: NotificationStore, _ event: EventEnvelope, at time: Date) async throws -> Delivery {
        try #require(
            try await store.claim(
                eventID: event.id, eventType: event.type, userID: "ada", channel: .sms, provider: "twilio",
                recipients: ["+4915112345678"], subject: "", now: time))
    }

    @Test(arguments: TestDatabase.kinds)
    func aDeliveryLeftPendingIsNeitherLostNorSentTwice(_ kind: TestDatabase.Kind) async throws {
        let twilio = RoutedProvider { _, _ in .init(status: .created, body: #"{"sid":"SM1"}"#) }
        try await Self.withTwilio(twilio, kind) { harness in
            // A sender claimed the event's text message just now and is (for all we know) still sending it: the
            // redelivered event is not acknowledged, and nothing is sent beside that sender.
            let live = TestEvents.orderCreated("ord-1", userID: "ada")
            let claimed = try await Self.claimSMS(harness.app.store, live, at: Date())
            let error = await #expect(throws: DeliveryInProgressError.self) {
                try await harness.app.events.handle(live)
            }
            #expect(error?.deliveryID == claimed.id)
            #expect(error.map { $0.leaseRemaining > .seconds(200) } == true)
            #expect(twilio.requests.isEmpty)
            // That sender finishes: the next redelivery finds the message sent.
            try await harness.app.store.finish(
                delivery: claimed.id, status: .sent, providerMessageID: "SM0", error: nil, now: Date())
            #expect(try await harness.app.events.handle(live).isEmpty)
            #expect(twilio.requests.isEmpty)

            // A sender claimed another event's message ten minutes ago and stopped (crashed, cancelled) midway:
            // the redelivered event takes its delivery over and sends it, once.
            let stopped = TestEvents.orderCreated("ord-2", userID: "ada")
            let abandoned = try await Self.claimSMS(harness.app.store, stopped, at: Date().addingTimeInterval(-600))
            let sent = try await harness.app.events.handle(stopped)
            #expect(sent.map(\.id) == [abandoned.id])
            #expect(sent.map(\.status) == [.sent])
            #expect(sent.first?.providerMessageID == "SM1")
            #expect(try await harness.app.events.handle(stopped).isEmpty)
            #expect(twilio.requests.count == 1)
            #expect(twilio.requests.first.map { FormBody(parsing: $0.body)["To"] } == "+4915112345678")

            // One that stopped after Twilio took the message, before marking it sent: marked sent, not resent.
            let accepted = TestEvents.orderCreated("ord-3", userID: "ada")
            let old = Date().addingTimeInterval(-600)
            let unfinished = try await Self.claimSMS(harness.app.store, accepted, at: old)
            try await harness.app.store.record(
                Delivery.Attempt(number: 1, outcome: .sent, error: nil, at: old), delivery: unfinished.id)
            let finished = try await harness.app.events.handle(accepted)
            #expect(finished.map(\.id) == [unfinished.id])
            #expect(finished.map(\.status) == [.sent])
            #expect(twilio.requests.count == 1)
        }
    }

    @Test func retryAfterIsWaitedFor() async throws {
        let twilio = RoutedProvider { _, count in
            count == 1
                ? .init(status: .tooManyRequests, headers: ["Retry-After": "1"], body: #"{"message":"slow down"}"#)
                : .init(status: .created, body: #"{"sid":"SM2"}"#)
        }
        // The backoff alone would wait 10 to 40 ms; Retry-After asks for a second.
        let retry = RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20), maximumDelay: .seconds(5))
        try await Self.withTwilio(twilio, retry: retry) { harness in
            let sent = try #require(
                try await harness.app.events.handle(TestEvents.orderCreated("ord-1", userID: "ada")).first)
            #expect(sent.status == .sent)
            try #require(sent.attempts.map(\.outcome) == [.temporaryFailure, .sent])
            #expect(sent.attempts[0].error?.contains("429") == true)
            // A lower bound only: a sleep never ends early.
            #expect(sent.attempts[1].at.timeIntervalSince(sent.attempts[0].at) >= 0.99)
            #expect(twilio.requests.count == 2)

            // The delivery log shows each attempt's status (the same value as its outcome).
            try await harness.test { client in
                let log = try await client.json(.get, "/notifications?user_id=ada", token: TestTokens.ada)
                let data = try #require(try log.object()["data"] as? [[String: Any]])
                let attempts = try #require(data.first?["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["status"] as? String } == ["temporary_failure", "sent"])
                #expect(attempts.map { $0["outcome"] as? String } == ["temporary_failure", "sent"])
            }
        }
    }

    @Test func retryAfterIsReadOn429And503Only() async throws {
        let date = Date().addingTimeInterval(120)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let httpDate = formatter.string(from: date)
        let answers: [(HTTPResponse.Status, String)] = [
            (.tooManyRequests, "7"), (.serviceUnavailable, httpDate), (.internalServerError, "7"),
        ]
        let twilio = RoutedProvider { _, count in
            let (status, value) = answers[count - 1]
            return .init(status: status, headers: ["Retry-After": value])
        }
        let failures = try await twilio.serve { url in
            let sms = TwilioSMSChannel(settings: .init(accountSID: "AC1", authToken: "t", from: "+1555", baseURL: url))
            var failures: [DeliveryFailure] = []
            for _ in answers {
                do {
                    _ = try await sms.send(
                        OutgoingMessage(
                            channel: .sms, recipients: ["+4915112345678"], subject: "", body: "hi",
                            idempotencyKey: "d-1", eventType: "order.created"))
                } catch let failure as DeliveryFailure {
                    failures.append(failure)
                }
            }
            return failures
        }
        try #require(failures.count == 3)
        #expect(failures.map(\.kind) == [.temporary, .temporary, .temporary])
        #expect(failures[0].retryAfter == .seconds(7))
        let fromDate = try #require(failures[1].retryAfter)
        #expect(fromDate > .seconds(100) && fromDate <= .seconds(120))
        #expect(failures[2].retryAfter == nil)
    }

    @Test func aRequestedDelayIsWaitedUpToTheLongestDelay() {
        let policy = RetryPolicy(maximumAttempts: 5, initialDelay: .milliseconds(10), maximumDelay: .seconds(30))
        #expect(policy.delay(afterAttempt: 1, requested: .seconds(2)) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, requested: .seconds(600)) == .seconds(30))
        #expect(policy.delay(afterAttempt: 1, requested: .zero) <= .milliseconds(10))
        #expect(policy.delay(afterAttempt: 1, requested: nil) <= .milliseconds(10))
    }
}
