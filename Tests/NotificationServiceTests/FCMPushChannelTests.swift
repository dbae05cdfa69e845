import Foundation
import JWT
import NIOConcurrencyHelpers
import NotificationService
import ServiceKit
import Testing

/// FCM against a loopback server: per-token results across retries, and a renewed access token after a 401.
@Suite struct FCMPushChannelTests {
    static let sendPath = "/v1/projects/acme-test/messages:send"
    static let pair = try! JWTKeyPair.rsa()

    static func channel(_ url: String) -> FCMPushChannel {
        FCMPushChannel(
            account: FCMServiceAccount(
                projectID: "acme-test", clientEmail: "push@acme-test.iam.gserviceaccount.com",
                privateKey: Self.pair.privatePEM, privateKeyID: "key-1", tokenURI: url + "/token"),
            baseURL: url)
    }

    /// The device token a messages:send request is for.
    static func token(of request: ScriptedProvider.Recorded) -> String? {
        let body = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: [String: Any]]
        return body?["message"]?["token"] as? String
    }

    /// FCM's error document for `status`.
    static func error(_ code: Int, _ status: String) -> String {
        #"{"error":{"code":\#(code),"message":"no","status":"\#(status)"}}"#
    }

    /// Answers per token: `good-*` are taken, `gone` is unregistered (404), `bad` invalid (400), `flaky` gets a 503
    /// the first time.
    static func fcm() -> RoutedProvider {
        let flakyTries = NIOLockedValueBox(0)
        return RoutedProvider { request, _ in
            if request.path == "/token" {
                return .init(status: .ok, body: #"{"access_token":"ya29.test","expires_in":3600}"#)
            }
            switch Self.token(of: request) {
            case "gone": return .init(status: .notFound, body: Self.error(404, "UNREGISTERED"))
            case "bad": return .init(status: .badRequest, body: Self.error(400, "INVALID_ARGUMENT"))
            case "flaky" where flakyTries.withLockedValue({ $0 += 1; return $0 }) == 1:
                return .init(status: .serviceUnavailable, body: Self.error(503, "UNAVAILABLE"))
            case let token?: return .init(status: .ok, body: #"{"name":"projects/acme-test/messages/\#(token)"}"#)
            case nil: return .init(status: .badRequest)
            }
        }
    }

    @Test func oneTokensFailureStopsNeitherTheOthersNorTheDelivery() async throws {
        let fcm = Self.fcm()
        let delivery = try await fcm.serve { url in
            let outbox = OutboxChannel(directory: "/nonexistent", from: "x@y.test")
            return try await NotificationHarness.with(
                .sqlite, channels: ChannelSet(email: outbox, sms: outbox, push: Self.channel(url))
            ) { harness in
                try await harness.app.store.save(
                    NotificationPreferences(
                        userID: "ada", email: nil, phone: nil, pushTokens: ["gone", "good-1", "flaky", "bad", "good-2"],
                        channels: [.orderCreated: [.push]], name: "Ada", updatedAt: Date()))
                return try await harness.app.events.handle(TestEvents.orderCreated("ord-1", userID: "ada")).first
            }
        }
        let sent = try #require(delivery)
        #expect(sent.status == .sent)
        #expect(sent.attempts.map(\.outcome) == [.temporaryFailure, .sent])
        #expect(
            sent.providerMessageID
                == ["good-1", "flaky", "good-2"].map { "projects/acme-test/messages/\($0)" }.joined(separator: ","))
        // Every token was tried on the first attempt; the retry went to the one that failed for a while only.
        #expect(
            fcm.requests(to: Self.sendPath).compactMap(Self.token)
                == ["gone", "good-1", "flaky", "bad", "good-2", "flaky"])
    }

    @Test func everyTokenRefusedFailsTheDeliveryForGood() async throws {
        let fcm = Self.fcm()
        let error = try await fcm.serve { url in
            await #expect(throws: DeliveryFailure.self) {
                try await Self.channel(url).send(
                    OutgoingMessage(
                        channel: .push, recipients: ["gone", "bad"], subject: "t", body: "b", idempotencyKey: "d-2",
                        eventType: "order.created"))
            }
        }
        #expect(error?.kind == .permanent)
        #expect(error?.reason.contains("UNREGISTERED") == true)
        #expect(error?.reason.contains("INVALID_ARGUMENT") == true)
    }

    @Test func a401RenewsTheAccessTokenOnce() async throws {
        let issued = NIOLockedValueBox(0)
        let fcm = RoutedProvider { request, _ in
            if request.path == "/token" {
                let number = issued.withLockedValue { $0 += 1; return $0 }
                return .init(status: .ok, body: #"{"access_token":"ya29.\#(number)","expires_in":3600}"#)
            }
            // The first access token was revoked.
            return request.headers[.authorization] == "Bearer ya29.1"
                ? .init(status: .unauthorized, body: Self.error(401, "UNAUTHENTICATED"))
                : .init(status: .ok, body: #"{"name":"projects/acme-test/messages/1"}"#)
        }
        let name = try await fcm.serve { url in
            try await Self.channel(url).send(
                OutgoingMessage(
                    channel: .push, recipients: ["device-1"], subject: "t", body: "b", idempotencyKey: "d-3",
                    eventType: "order.created"))
        }
        #expect(name == "projects/acme-test/messages/1")
        #expect(fcm.requests.map(\.path) == ["/token", Self.sendPath, "/token", Self.sendPath])
        #expect(
            fcm.requests(to: Self.sendPath).map { $0.headers[.authorization] } == ["Bearer ya29.1", "Bearer ya29.2"])
    }

    @Test func a401WithTheNewTokenTooIsPermanent() async throws {
        let fcm = RoutedProvider { request, count in
            request.path == "/token"
                ? .init(status: .ok, body: #"{"access_token":"ya29.\#(count)","expires_in":3600}"#)
                : .init(status: .unauthorized, body: Self.error(401, "UNAUTHENTICATED"))
        }
        let error = try await fcm.serve { url in
            await #expect(throws: DeliveryFailure.self) {
                try await Self.channel(url).send(
                    OutgoingMessage(
                        channel: .push, recipients: ["device-1"], subject: "t", body: "b", idempotencyKey: "d-4",
                        eventType: "order.created"))
            }
        }
        #expect(error?.kind == .permanent)
        #expect(fcm.requests.map(\.path) == ["/token", Self.sendPath, "/token", Self.sendPath])
    }
}
