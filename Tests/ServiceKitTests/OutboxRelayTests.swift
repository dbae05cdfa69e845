import Foundation
import NIOConcurrencyHelpers
import ServiceKitTesting
import Testing

@testable import ServiceKit

/// The relay's claims: no transaction stays open while the bus publishes, and a row claimed by one relay is left to
/// it until its lease runs out.
@Suite struct OutboxRelayTests {
    @Test(arguments: TestDatabase.kindsWithMySQL)
    func theServiceWritesAndAnotherRelayPublishesWhileTheBusIsSlow(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, test in
            try await MigrationRunner.migrate(database, migrations: EventsTests.outbox)
            try await database.transaction {
                try await Outbox.enqueue(EventEnvelope(id: "e1", type: "t.created", data: [:]), in: $0)
            }
            let slowBus = GatedEventBus()
            let relay = OutboxRelay(database: database, bus: slowBus, logger: ServiceTestEnvironment.logger)
            let relaying = Task { try await relay.relayPending() }
            #expect(await firstElement(of: slowBus.publishing, within: 30) == ["e1"])

            // The broker has not confirmed e1 yet: a write of the service does not wait for it.
            let wrote = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    let event = EventEnvelope(id: "e2", type: "t.created", data: [:])
                    return (try? await database.transaction { try await Outbox.enqueue(event, in: $0) }) != nil
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(60))
                    return false
                }
                let first = await group.next() ?? false
                slowBus.open()
                group.cancelAll()
                return first
            }
            #expect(wrote, "a write waited for the relay's publishing")

            // A second relay (another process) leaves e1 to the first one and publishes e2.
            let second = try await test.open()
            let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
            let received = NIOLockedValueBox<[String]>([])
            try await bus.subscribe("#", name: "test") { event in received.withLockedValue { $0.append(event.id) } }
            let secondCount = try await OutboxRelay(
                database: second, bus: bus, logger: ServiceTestEnvironment.logger
            ).relayPending()
            await bus.close()
            await second.close()
            #expect(secondCount == 1)
            #expect(received.withLockedValue { $0 } == ["e2"])

            slowBus.open()
            #expect(try await relaying.value == 1)
            let pending = try await database.query(SQLStatement("SELECT id FROM outbox WHERE published_at IS NULL"))
            #expect(pending.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.kindsWithMySQL)
    func aClaimedEventIsTakenAgainOnceItsLeaseRanOut(kind: TestDatabase.Kind) async throws {
        try await TestDatabase.with(kind) { database, _ in
            try await MigrationRunner.migrate(database, migrations: EventsTests.outbox)
            try await database.transaction {
                try await Outbox.enqueue(EventEnvelope(id: "e1", type: "t.created", data: [:]), in: $0)
            }
            let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
            let relay = OutboxRelay(database: database, bus: bus, logger: ServiceTestEnvironment.logger)
            let now = Timestamp.nowMilliseconds()
            // Another relay holds it.
            try await database.query(
                SQLStatement("UPDATE outbox SET claimed_until = $1", [.integer(now + 3_600_000)]))
            #expect(try await relay.relayPending() == 0)
            // That relay stopped before marking it: its lease ran out.
            try await database.query(SQLStatement("UPDATE outbox SET claimed_until = $1", [.integer(now - 1)]))
            #expect(try await relay.relayPending() == 1)
            let rows = try await database.query(SQLStatement("SELECT published_at, claimed_until FROM outbox"))
            #expect(rows.count == 1)
            #expect(rows.first?["published_at"] != .null)
            #expect(rows.first?["claimed_until"] == .null)
            await bus.close()
        }
    }

    @Test func failedPublishesAreReleasedForTheNextPassAndTheConfirmedOnesMarked() async throws {
        try await TestDatabase.with(.sqlite) { database, _ in
            try await MigrationRunner.migrate(database, migrations: EventsTests.outbox)
            try await database.transaction { transaction in
                for id in ["e1", "e2", "e3"] {
                    try await Outbox.enqueue(EventEnvelope(id: id, type: "t.created", data: [:]), in: transaction)
                }
            }
            let bus = GatedEventBus(refusing: ["e2"])
            bus.open()
            let relay = OutboxRelay(database: database, bus: bus, logger: ServiceTestEnvironment.logger)
            await #expect(throws: GatedEventBus.Refused.self) { try await relay.relayPending() }
            let pending = try await database.query(
                SQLStatement("SELECT id, claimed_until FROM outbox WHERE published_at IS NULL"))
            #expect(try pending.map { try $0.text("id") } == ["e2"])
            #expect(pending.first?["claimed_until"] == .null)
        }
    }
}
