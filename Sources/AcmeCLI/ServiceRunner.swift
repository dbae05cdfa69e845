import ArgumentParser
import Foundation
import Gateway
import InventoryService
import Logging
import NotificationService
import ServiceKit
import ServiceLifecycle
import UserService

/// Runs the backing services: alone (stopping gracefully on SIGTERM or SIGINT), or beside the gateway for `acme up`.
enum ServiceRunner {
    /// `acme service users`.
    static func runUsers(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.users")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.openUsers(listen: listen, logger: logger)
        try await Self.serve({ try await process.application.runService() }, then: process.close)
    }

    /// `acme service inventory`.
    static func runInventory(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.inventory")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.opening("the inventory service") {
            try await InventoryServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
        try await Self.serve({ try await process.application.runService() }, then: process.close)
    }

    /// `acme service notifications`.
    static func runNotifications(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.notifications")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.opening("the notification service") {
            try await NotificationServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
        try await Self.serve({ try await process.application.runService() }, then: process.close)
    }

    /// Runs a service (its application's `runService`) until a stop signal, then `close` (also when it fails).
    private static func serve(_ run: () async throws -> Void, then close: () async -> Void) async throws {
        do {
            try await run()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// `acme up`: the user service, then the gateway; a stop signal stops the gateway, then the service.
    static func runBesideGateway(_ options: GatewayRunOptions) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.users")
        let users = try await Self.openUsers(listen: nil, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [users.application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await GatewayRunner.run(options)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await users.close()
    }

    private static func openUsers(listen: String?, logger: Logger) async throws -> UserServiceProcess {
        try await Self.opening("the user service") {
            try await UserServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
    }

    /// Runs `open`, turning a bad setting into a usage error and a database that cannot be used into a message
    /// naming `service` and exit status 1.
    private static func opening<Opened>(_ service: String, _ open: () async throws -> Opened) async throws
        -> Opened
    {
        do {
            return try await open()
        } catch let error as ServiceConfigurationError {
            throw ValidationError(error.description)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("acme: \(service) cannot start: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
