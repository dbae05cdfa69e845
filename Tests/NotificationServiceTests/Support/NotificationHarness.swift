import Foundation
import Hummingbird
import HummingbirdTesting
import JWT
import NotificationService
import ServiceKit
import ServiceKitTesting
import Testing

/// The notification service on a test database and bus, its outbox in a temporary folder.
struct NotificationHarness {
    let app: NotificationServiceApp
    let bus: InProcessEventBus
    let outbox: String

    /// Retries quickly, so that tests of temporary failures do not wait.
    static let quickRetry = RetryPolicy(
        maximumAttempts: 3, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(40))

    /// Runs `body` with a new service on `kind`; `channels` replaces the outbox channels.
    static func with<Result>(
        _ kind: TestDatabase.Kind, channels: ChannelSet? = nil,
        configure: (inout NotificationServiceConfiguration) -> Void = { _ in },
        _ body: (NotificationHarness) async throws -> Result
    ) async throws -> Result {
        let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("acme-outbox-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        var configuration = NotificationServiceConfiguration()
        configuration.issuer = TestTokens.users.issuer
        configuration.outboxDirectory = outbox
        configuration.retry = Self.quickRetry
        configure(&configuration)
        let settings = configuration
        return try await TestDatabase.with(kind) { database, _ in
            try await withTestEventBus { bus in
                let app = try await NotificationServiceApp.make(
                    configuration: settings, database: database, bus: bus, keys: TestTokens.users.keys,
                    channels: channels, logger: ServiceTestEnvironment.logger)
                return try await body(NotificationHarness(app: app, bus: bus, outbox: outbox))
            }
        }
    }

    /// Runs `body` with a client of the router (no sockets).
    func test<Result: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Result) async throws
        -> Result
    {
        try await self.app.application(listen: ServiceListenAddress(host: "127.0.0.1", port: 0)).test(.router, body)
    }

    /// The `.eml` files in the outbox, by name.
    func outboxFiles() -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.outbox)) ?? []
        var files: [String: String] = [:]
        for name in names where name.hasSuffix(".eml") {
            files[name] = try? String(contentsOfFile: self.outbox + "/" + name, encoding: .utf8)
        }
        return files
    }
}

/// Events as the other services publish them.
enum TestEvents {
    static func registered(_ userID: String, email: String, name: String) -> EventEnvelope {
        EventEnvelope(
            type: "user.registered",
            data: ["user_id": .string(userID), "email": .string(email), "name": .string(name)])
    }

    static func orderCreated(_ orderID: String, userID: String, total: Int = 2599) -> EventEnvelope {
        EventEnvelope(
            type: "order.created",
            data: [
                "order_id": .string(orderID), "user_id": .string(userID), "total": .number(Double(total)),
                "currency": "EUR", "items": [["sku": "A-1", "quantity": 2]],
            ])
    }

    static func shipmentDispatched(_ orderID: String) -> EventEnvelope {
        EventEnvelope(
            type: "shipment.dispatched", data: ["order_id": .string(orderID), "reservation_id": "res-1"])
    }
}
