import ArgumentParser
import Foundation
import Gateway
import InventoryService
import Logging
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
        do {
            try await process.application.runService()
        } catch {
            await process.close()
            throw error
        }
        await process.close()
    }

    /// `acme service inventory`.
    static func runInventory(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.inventory")
        defer { LogLineWriter.standardError.flush() }
        let process: InventoryServiceProcess
        do {
            process = try await InventoryServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch let error as ServiceConfigurationError {
            throw ValidationError(error.description)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("acme: the inventory service cannot start: \(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            try await process.application.runService()
        } catch {
            await process.close()
            throw error
        }
        await process.close()
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
        do {
            return try await UserServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch let error as ServiceConfigurationError {
            throw ValidationError(error.description)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("acme: the user service cannot start: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
