import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import InventoryService
import Logging
import OrderService
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
        try await Self.serve(process.application, close: process.close)
    }

    /// `acme service orders`.
    static func runOrders(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.orders")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.opening("order") {
            try await OrderServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
        try await Self.serve(process.application, close: process.close)
    }

    /// `acme service inventory`.
    static func runInventory(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.inventory")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.opening("inventory") {
            try await InventoryServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
        try await Self.serve(process.application, close: process.close)
    }

    /// Runs one service's `application` until a stop signal, then `close`s what it used (also when it fails).
    private static func serve(_ application: some ApplicationProtocol, close: () async -> Void) async throws {
        do {
            try await application.runService()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// `acme up`: the services on one shared in-process bus (the order service's OAuth client created when
    /// missing), then the gateway; a stop signal stops the gateway, then the services.
    static func runBesideGateway(_ options: GatewayRunOptions) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.services")
        let environment = ProcessInfo.processInfo.environment
        let bus = InProcessEventBus(logger: logger)
        let users = try await Self.opening("user") {
            try await UserServiceProcess.open(listen: nil, environment: environment, bus: bus, logger: logger)
        }
        let inventory: InventoryServiceProcess
        let orders: OrderServiceProcess
        do {
            inventory = try await Self.opening("inventory") {
                try await InventoryServiceProcess.open(listen: nil, environment: environment, bus: bus, logger: logger)
            }
            do {
                let ordersEnvironment = try await Self.opening("order") {
                    try await OrdersClientSetup.ensure(store: users.app.store, environment: environment)
                }
                orders = try await Self.opening("order") {
                    try await OrderServiceProcess.open(
                        listen: nil, environment: ordersEnvironment, bus: bus, logger: logger)
                }
            } catch {
                await inventory.close()
                throw error
            }
        } catch {
            await users.close()
            await bus.close()
            throw error
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [users.application, inventory.application, orders.application], logger: logger))
        // A service that cannot run (its port taken, ...) stops the group, and then the gateway too.
        let (groupEnded, groupEndedContinuation) = AsyncStream<Void>.makeStream()
        let failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { groupEndedContinuation.finish() }
                    try await group.run()
                }
                do {
                    try await GatewayRunner.run(options, stopEarly: { for await _ in groupEnded {} })
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            failure = nil
        } catch {
            failure = error
        }
        await orders.close()
        await inventory.close()
        await users.close()
        await bus.close()
        if let failure { throw failure }
    }

    private static func openUsers(listen: String?, logger: Logger) async throws -> UserServiceProcess {
        try await Self.opening("user") {
            try await UserServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
    }

    /// Runs `open`, turning a bad setting into a usage error and a database failure into a message and status 1.
    private static func opening<Process>(_ service: String, _ open: () async throws -> Process) async throws -> Process
    {
        do {
            return try await open()
        } catch let error as ServiceConfigurationError {
            throw ValidationError(error.description)
        } catch let error as SQLError {
            FileHandle.standardError.write(Data("acme: the \(service) service cannot start: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
