import Foundation
import NIOConcurrencyHelpers
import Redis
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct ServiceProcessResourcesTests {
    /// A bus that only records whether it was closed.
    final class RecordingBus: EventBus {
        private let closed = NIOLockedValueBox(false)
        var isClosed: Bool { self.closed.withLockedValue { $0 } }

        func publish(_ event: EventEnvelope) async throws {}
        func subscribe(
            _ patterns: [String], name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
        ) async throws {}
        func close() async { self.closed.withLockedValue { $0 = true } }
    }

    struct BuildFailed: Error {}

    /// A SQLite database in a new temporary folder; the folder is removed after `body`.
    static func withSQLiteFile<Result>(_ body: (DatabaseConfiguration, String) async throws -> Result) async throws
        -> Result
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-resources-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/service.sqlite"
        return try await body(.sqlite(path: path), path)
    }

    @Test func aSharedBusIsUsedAndLeftOpenWhileTheDatabaseIsClosed() async throws {
        try await Self.withSQLiteFile { database, _ in
            let shared = RecordingBus()
            let resources = try await ServiceProcessResources.open(
                database: database, environment: [:], sharedBus: shared, logger: ServiceTestEnvironment.logger)
            #expect((resources.bus as? RecordingBus) === shared)
            #expect(resources.redis == nil)
            try await resources.database.query("SELECT 1")
            await resources.close()
            #expect(!shared.isClosed)
            await #expect(throws: (any Error).self) { try await resources.database.query("SELECT 1") }
        }
    }

    @Test func withoutASharedBusTheProcessMakesTheOneEVENT_BUSNames() async throws {
        try await Self.withSQLiteFile { database, _ in
            let resources = try await ServiceProcessResources.open(
                database: database, environment: ["EVENT_BUS": "memory"], sharedBus: nil,
                logger: ServiceTestEnvironment.logger)
            #expect(resources.bus is InProcessEventBus)
            await resources.close()
        }
    }

    @Test func aBadEVENT_BUSIsRefusedBeforeTheDatabaseIsOpened() async throws {
        try await Self.withSQLiteFile { database, path in
            await #expect(throws: ServiceConfigurationError.self) {
                try await ServiceProcessResources.open(
                    database: database, environment: ["EVENT_BUS": "kafka://127.0.0.1:9092"], sharedBus: nil,
                    logger: ServiceTestEnvironment.logger)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aRedisCacheGetsAClientThatCloseCloses() async throws {
        try await Self.withSQLiteFile { database, _ in
            let configuration = try RedisConfiguration(url: "redis://127.0.0.1:6390/2")
            let resources = try await ServiceProcessResources.open(
                database: database, cache: .redis(configuration), environment: [:], sharedBus: RecordingBus(),
                logger: ServiceTestEnvironment.logger)
            let redis = try #require(resources.redis)
            #expect(redis.configuration == configuration)
            await resources.close()
            let error = await #expect(throws: RedisError.self) { try await redis.send("PING") }
            #expect(error?.code == .clientClosed)
        }
    }

    @Test func aFailedBuildClosesTheResourcesAndRethrows() async throws {
        try await Self.withSQLiteFile { database, _ in
            let shared = RecordingBus()
            let resources = try await ServiceProcessResources.open(
                database: database, environment: [:], sharedBus: shared, logger: ServiceTestEnvironment.logger)
            await #expect(throws: BuildFailed.self) {
                try await resources.closingOnFailure { throw BuildFailed() }
            }
            await #expect(throws: (any Error).self) { try await resources.database.query("SELECT 1") }
            #expect(!shared.isClosed)
        }
    }

    @Test func aSuccessfulBuildLeavesTheResourcesOpen() async throws {
        try await Self.withSQLiteFile { database, _ in
            let resources = try await ServiceProcessResources.open(
                database: database, environment: [:], sharedBus: nil, logger: ServiceTestEnvironment.logger)
            let built = try await resources.closingOnFailure { "app" }
            #expect(built == "app")
            try await resources.database.query("SELECT 1")
            await resources.close()
        }
    }
}
