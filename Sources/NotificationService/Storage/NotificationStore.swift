import Foundation
import ServiceKit

/// The service's storage: preferences and the delivery log, on PostgreSQL or SQLite.
public struct NotificationStore: Sendable {
    let database: any SQLDatabase

    /// A store on `database`.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Creates or updates the tables.
    public func migrate() async throws {
        try await MigrationRunner.migrate(self.database, migrations: NotificationMigrations.all)
    }

    /// Checks that the database answers.
    public func ping() async throws {
        try await self.database.ping()
    }

    // MARK: Preferences

    /// The preferences `userID` has, if any.
    public func preferences(userID: String) async throws -> NotificationPreferences? {
        guard
            let row = try await self.database.first(
                SQLStatement("SELECT * FROM notification_preferences WHERE user_id = $1", [.text(userID)]))
        else { return nil }
        return try Self.preferences(row)
    }

    /// Stores `preferences`, replacing the user's previous ones.
    public func save(_ preferences: NotificationPreferences) async throws {
        try await self.database.query(
            SQLStatement(
                """
                INSERT INTO notification_preferences (user_id, email, phone, push_tokens, channels, name, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
                    push_tokens = excluded.push_tokens, channels = excluded.channels, name = excluded.name,
                    updated_at = excluded.updated_at
                """,
                [
                    .text(preferences.userID), SQLValue(preferences.email), SQLValue(preferences.phone),
                    .text(try Self.json(preferences.pushTokens)), .text(try Self.json(preferences.channelSwitches)),
                    SQLValue(preferences.name), .integer(Timestamp.milliseconds(preferences.updatedAt)),
                ]))
    }

    /// Stores the defaults for a new user (from `user.registered`), unless the user has preferences already;
    /// returns the user's preferences either way.
    public func registered(userID: String, email: String?, name: String?, now: Date) async throws
        -> NotificationPreferences
    {
        let defaults = NotificationPreferences.defaults(userID: userID, email: email, name: name, now: now)
        try await self.database.query(
            SQLStatement(
                """
                INSERT INTO notification_preferences (user_id, email, phone, push_tokens, channels, name, updated_at)
                VALUES ($1, $2, NULL, '[]', $3, $4, $5) ON CONFLICT (user_id) DO NOTHING
                """,
                [
                    .text(userID), SQLValue(email), .text(try Self.json(defaults.channelSwitches)), SQLValue(name),
                    .integer(Timestamp.milliseconds(now)),
                ]))
        return try await self.preferences(userID: userID) ?? defaults
    }

    // MARK: Deliveries

    /// Records a new delivery of `eventID` on `channel` as pending and returns it, for the caller to send; `nil`
    /// when that event was delivered on that channel already (sent or failed for good). A pending delivery holds a
    /// lease: each attempt recorded renews it. While it runs, another sender may be sending, so `claim` throws
    /// `DeliveryInProgressError` (the bus delivers the event again later); once it has run out (the sender stopped
    /// midway: a crash, a cancellation), the delivery is handed over, with its id and attempts, so that the
    /// provider's idempotency key stays the same. Taking over is one conditional update, so only one caller wins.
    ///
    /// - Throws: `DeliveryInProgressError`; the database's errors.
    public func claim(
        eventID: String, eventType: String, userID: String, channel: ChannelKind, provider: String,
        recipients: [String], subject: String, now: Date, lease: Duration = .seconds(300)
    ) async throws -> Delivery? {
        let id = UUID().uuidString.lowercased()
        let rows = try await self.database.query(
            SQLStatement(
                """
                INSERT INTO deliveries (id, event_id, event_type, user_id, channel, provider, recipients, subject,
                    status, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)
                ON CONFLICT (event_id, channel) DO NOTHING RETURNING id
                """,
                [
                    .text(id), .text(eventID), .text(eventType), .text(userID), .text(channel.rawValue),
                    .text(provider), .text(try Self.json(recipients)), .text(subject),
                    .integer(Timestamp.milliseconds(now)),
                ]))
        if !rows.isEmpty {
            return Delivery(
                id: id, eventID: eventID, eventType: eventType, userID: userID, channel: channel, provider: provider,
                recipients: recipients, subject: subject, status: .pending, providerMessageID: nil, error: nil,
                attempts: [], createdAt: now, updatedAt: now)
        }
        let leaseSeconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let cutoff = Timestamp.milliseconds(now.addingTimeInterval(-leaseSeconds))
        let resumed = try await self.database.query(
            SQLStatement(
                """
                UPDATE deliveries SET updated_at = $1
                WHERE event_id = $2 AND channel = $3 AND status = 'pending' AND updated_at <= $4 RETURNING id
                """,
                [.integer(Timestamp.milliseconds(now)), .text(eventID), .text(channel.rawValue), .integer(cutoff)]))
        if let row = resumed.first {
            return try await self.delivery(id: try row.text("id"))
        }
        guard
            let row = try await self.database.first(
                SQLStatement(
                    "SELECT id, status, updated_at FROM deliveries WHERE event_id = $1 AND channel = $2",
                    [.text(eventID), .text(channel.rawValue)])),
            try row.text("status") == Delivery.Status.pending.rawValue
        else { return nil }
        let remaining = max(0, try row.integer("updated_at") - cutoff)
        throw DeliveryInProgressError(
            eventID: eventID, channel: channel, deliveryID: try row.text("id"),
            leaseRemaining: .milliseconds(remaining))
    }

    /// Records attempt `attempt` of delivery `id` (which renews the delivery's lease).
    public func record(_ attempt: Delivery.Attempt, delivery id: String) async throws {
        try await self.database.query(
            SQLStatement(
                "UPDATE deliveries SET updated_at = $1 WHERE id = $2",
                [.integer(Timestamp.milliseconds(attempt.at)), .text(id)]))
        try await self.database.query(
            SQLStatement(
                "INSERT INTO delivery_attempts (delivery_id, number, outcome, error, at) VALUES ($1, $2, $3, $4, $5)",
                [
                    .text(id), .integer(Int64(attempt.number)), .text(attempt.outcome.rawValue),
                    SQLValue(attempt.error), .integer(Timestamp.milliseconds(attempt.at)),
                ]))
    }

    /// Marks delivery `id` as finished: sent (with the provider's message id) or failed (with the reason).
    public func finish(
        delivery id: String, status: Delivery.Status, providerMessageID: String?, error: String?, now: Date
    ) async throws {
        try await self.database.query(
            SQLStatement(
                """
                UPDATE deliveries SET status = $1, provider_message_id = $2, error = $3, updated_at = $4
                WHERE id = $5
                """,
                [
                    .text(status.rawValue), SQLValue(providerMessageID), SQLValue(error),
                    .integer(Timestamp.milliseconds(now)), .text(id),
                ]))
    }

    /// A page of `userID`'s deliveries, newest first, each with its attempts. `after` is the cursor (a sequence
    /// number) where the previous page ended.
    public func deliveries(userID: String, limit: Int, after: Int64?) async throws -> (
        deliveries: [Delivery], next: Int64?
    ) {
        let rows = try await self.database.query(
            SQLStatement(
                "SELECT * FROM deliveries WHERE user_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
                [.text(userID), .integer(after ?? Int64.max), .integer(Int64(limit + 1))]))
        var deliveries: [Delivery] = []
        for row in rows.prefix(limit) {
            var delivery = try Self.delivery(row)
            delivery.attempts = try await self.attempts(delivery: delivery.id)
            deliveries.append(delivery)
        }
        let next = rows.count > limit ? try rows[limit - 1].integer("seq") : nil
        return (deliveries, next)
    }

    /// Delivery `id`, with its attempts.
    public func delivery(id: String) async throws -> Delivery? {
        guard
            let row = try await self.database.first(SQLStatement("SELECT * FROM deliveries WHERE id = $1", [.text(id)]))
        else { return nil }
        var delivery = try Self.delivery(row)
        delivery.attempts = try await self.attempts(delivery: id)
        return delivery
    }

    private func attempts(delivery id: String) async throws -> [Delivery.Attempt] {
        try await self.database.query(
            SQLStatement(
                "SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY number", [.text(id)])
        ).map { row in
            Delivery.Attempt(
                number: Int(try row.integer("number")),
                outcome: Delivery.Attempt.Outcome(rawValue: try row.text("outcome")) ?? .permanentFailure,
                error: row["error"].text, at: Timestamp.date(milliseconds: try row.integer("at")))
        }
    }

    // MARK: Orders

    /// Remembers that `orderID` belongs to `userID` (from `order.created`).
    public func rememberOrder(_ orderID: String, userID: String, now: Date) async throws {
        try await self.database.query(
            SQLStatement(
                "INSERT INTO order_owners (order_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [.text(orderID), .text(userID), .integer(Timestamp.milliseconds(now))]))
    }

    /// The user `orderID` belongs to, when its `order.created` was seen.
    public func orderOwner(_ orderID: String) async throws -> String? {
        try await self.database.first(
            SQLStatement("SELECT user_id FROM order_owners WHERE order_id = $1", [.text(orderID)])
        )?["user_id"].text
    }

    // MARK: Rows

    private static func preferences(_ row: SQLRow) throws -> NotificationPreferences {
        let switches = try JSONDecoder().decode(
            [String: [String: Bool]].self, from: Data(try row.text("channels").utf8))
        var channels: [NotificationEvent: Set<ChannelKind>] = [:]
        for (type, on) in switches {
            guard let event = NotificationEvent(rawValue: type) else { continue }
            channels[event] = Set(on.filter { $0.value }.keys.compactMap(ChannelKind.init(rawValue:)))
        }
        return NotificationPreferences(
            userID: try row.text("user_id"), email: row["email"].text, phone: row["phone"].text,
            pushTokens: try JSONDecoder().decode([String].self, from: Data(try row.text("push_tokens").utf8)),
            channels: channels, name: row["name"].text,
            updatedAt: Timestamp.date(milliseconds: try row.integer("updated_at")))
    }

    private static func delivery(_ row: SQLRow) throws -> Delivery {
        Delivery(
            id: try row.text("id"), eventID: try row.text("event_id"), eventType: try row.text("event_type"),
            userID: try row.text("user_id"), channel: ChannelKind(rawValue: try row.text("channel")) ?? .email,
            provider: try row.text("provider"),
            recipients: try JSONDecoder().decode([String].self, from: Data(try row.text("recipients").utf8)),
            subject: try row.text("subject"), status: Delivery.Status(rawValue: try row.text("status")) ?? .pending,
            providerMessageID: row["provider_message_id"].text, error: row["error"].text, attempts: [],
            createdAt: Timestamp.date(milliseconds: try row.integer("created_at")),
            updatedAt: Timestamp.date(milliseconds: try row.integer("updated_at")))
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
