import Foundation
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// `PUT /notifications/preferences/{user_id}` changes only what it names.
@Suite(.serialized) struct PreferencesMergeTests {
    @Test(arguments: TestDatabase.kinds)
    func omittedFieldsAndUnlistedSwitchesKeepTheirValues(_ kind: TestDatabase.Kind) async throws {
        try await NotificationHarness.with(kind) { harness in
            try await harness.app.events.handle(TestEvents.registered("ada", email: "ada@example.com", name: "Ada"))
            try await harness.test { client in
                let put = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.ada,
                    body: #"{"phone": "+4915112345678", "channels": {"order.created": {"sms": true}}}"#)
                #expect(put.status == .ok, "\(put.text)")
                let document = try await client.json(.get, "/notifications/preferences/ada", token: TestTokens.ada)
                    .object()
                #expect(document["email"] as? String == "ada@example.com")
                #expect(document["phone"] as? String == "+4915112345678")
                let channels = try #require(document["channels"] as? [String: [String: Bool]])
                #expect(channels["order.created"] == ["email": true, "sms": true, "push": false])
                #expect(channels["order.cancelled"] == ["email": true, "sms": false, "push": false])

                let tokens = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.ada,
                    body: #"{"push_tokens": ["device-1"], "channels": {"order.created": {"email": false}}}"#)
                #expect(tokens.status == .ok, "\(tokens.text)")
                let afterTokens = try tokens.object()
                #expect(afterTokens["email"] as? String == "ada@example.com")
                #expect(afterTokens["phone"] as? String == "+4915112345678")
                #expect(afterTokens["push_tokens"] as? [String] == ["device-1"])
                let switches = try #require(afterTokens["channels"] as? [String: [String: Bool]])
                #expect(switches["order.created"] == ["email": false, "sms": true, "push": false])
            }

            let order = try await harness.app.events.handle(TestEvents.orderCreated("ord-1", userID: "ada"))
            #expect(order.map(\.channel) == [.sms])

            try await harness.test { client in
                // An explicit null clears the address; a wrong type is refused and changes nothing.
                let cleared = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.ada, body: #"{"email": null}"#)
                #expect(cleared.status == .ok, "\(cleared.text)")
                let document = try cleared.object()
                #expect(document["email"] is NSNull)
                #expect(document["phone"] as? String == "+4915112345678")
                let wrong = try await client.json(
                    .put, "/notifications/preferences/ada", token: TestTokens.ada, body: #"{"phone": 4915112345678}"#)
                #expect(wrong.status == .badRequest)
                let fields = try #require(try wrong.object()["errors"] as? [[String: Any]]).compactMap {
                    $0["field"] as? String
                }
                #expect(fields == ["phone"])
                let kept = try await client.json(.get, "/notifications/preferences/ada", token: TestTokens.ada)
                #expect(try kept.object()["phone"] as? String == "+4915112345678")
            }
            let cancelled = try await harness.app.events.handle(
                EventEnvelope(type: "order.cancelled", data: ["order_id": "ord-1", "user_id": "ada"]))
            #expect(cancelled.isEmpty)
        }
    }
}
