import AsyncHTTPClient
import Foundation
import NIOCore
import NotificationService
import ServiceKitTesting
import Testing

/// The SES channel against moto's server on loopback (`make test` installs `moto[server]`): the sender identity
/// is verified first, and the sent message read back from moto's `/moto-api/data.json`.
@Suite(.enabled(if: ProviderServers.sesTestsRun, "moto_server is missing: run `make test`"))
struct SESEmailChannelTests {
    static let sender = "no-reply@acme.test"

    static func settings(port: Int) -> SESSettings {
        SESSettings(
            region: "us-east-1", endpoint: "http://127.0.0.1:\(port)", accessKeyID: "AKIDEXAMPLE",
            secretAccessKey: "secret")
    }

    /// SES's VerifyEmailIdentity (the query API), signed like every SES call.
    static func verifySender(port: Int) async throws {
        let body = "Action=VerifyEmailIdentity&EmailAddress=no-reply%40acme.test&Version=2010-12-01"
        let date = Date()
        let headers = [
            ("content-type", "application/x-www-form-urlencoded"), ("host", "127.0.0.1:\(port)"),
            ("x-amz-date", SigV4Signer.amzDate(date)),
        ]
        let signed = SigV4Signer(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", region: "us-east-1", service: "ses"
        )
        .sign(
            method: "POST", path: "/", query: "", headers: headers,
            payloadHash: SigV4Signer.payloadHash(Data(body.utf8)), date: date)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/")
        request.method = .POST
        for (name, value) in headers where name != "host" { request.headers.add(name: name, value: value) }
        request.headers.add(name: "authorization", value: signed.authorization)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 1 << 20)
        try #require(response.status == .ok, "VerifyEmailIdentity: \(String(buffer: answer))")
    }

    /// The messages moto recorded (`ses.Message` in its data dump).
    static func sentMessages(port: Int) async throws -> [[String: Any]] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/moto-api/data.json"), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        return (dump["ses"] as? [String: Any])?["Message"] as? [[String: Any]] ?? []
    }

    @Test func sendsThroughTheV2API() async throws {
        try await PythonServer.with(ProviderServers.motoScript) { server in
            try await Self.verifySender(port: server.port)
            let channel = SESEmailChannel(settings: Self.settings(port: server.port), from: Self.sender)
            let message = OutgoingMessage(
                channel: .email, recipients: ["ada@example.com"], subject: "Your order ord-7 is confirmed",
                body: "Total: 25.99 EUR\n", idempotencyKey: "delivery-7", eventType: "order.created")
            let messageID = try #require(try await channel.send(message))
            #expect(!messageID.isEmpty)
            let sent = try await Self.sentMessages(port: server.port)
            try #require(sent.count == 1, "moto recorded \(sent)")
            #expect(sent[0]["id"] as? String == messageID)
            #expect(sent[0]["source"] as? String == Self.sender)
            #expect(sent[0]["subject"] as? String == "Your order ord-7 is confirmed")
            #expect(sent[0]["body"] as? String == "Total: 25.99 EUR\n")
            #expect((sent[0]["destinations"] as? [String: [String]])?["ToAddresses"] == ["ada@example.com"])
        }
    }

    @Test func anUnverifiedSenderIsAPermanentFailure() async throws {
        try await PythonServer.with(ProviderServers.motoScript) { server in
            let channel = SESEmailChannel(settings: Self.settings(port: server.port), from: "stranger@elsewhere.test")
            let message = OutgoingMessage(
                channel: .email, recipients: ["ada@example.com"], subject: "Hi", body: "Hi\n", idempotencyKey: "d-8",
                eventType: "user.registered")
            let error = await #expect(throws: DeliveryFailure.self) { try await channel.send(message) }
            #expect(error?.kind == .permanent)
            let sent = try await Self.sentMessages(port: server.port)
            #expect(sent.isEmpty)
        }
    }
}
