import ArgumentParser
import Foundation
import Gateway
import InventoryService
import Logging
import NotificationService
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
        try await Self.serve({ try await process.application.runService() }, then: process.close)
    }

    /// `acme service orders`.
    static func runOrders(listen: String?) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.orders")
        defer { LogLineWriter.standardError.flush() }
        let process = try await Self.opening("the order service") {
            try await OrderServiceProcess.open(
                listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
        }
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

    /// `acme up`: the user, inventory, order and notification services on one shared bus (`EVENT_BUS`: in-process
    /// by default), then the gateway. The demo user, the `acme-cli` client and the demo catalogue are added once
    /// (on any database, unless `USERS_DEMO_DATA=false`), and the order and notification services' OAuth clients
    /// are created when missing. Once all serve, the walkthrough is printed. A stop signal stops the gateway, then
    /// the services; a service that stops (its port taken, ...) stops the gateway.
    static func runBesideGateway(_ options: GatewayRunOptions) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.services")
        var environment = ProcessInfo.processInfo.environment
        if environment["USERS_DEMO_DATA"] == nil { environment["USERS_DEMO_DATA"] = "true" }
        let busConfiguration = try EventBusConfiguration.fromEnvironment(environment)
        switch busConfiguration {
        case .memory: logger.info("event bus: in-process")
        case .amqp(let broker): logger.info("event bus: RabbitMQ", metadata: ["broker": "\(broker)"])
        }
        let bus = busConfiguration.makeBus(logger: logger)
        // What is open so far, closed the other way round when opening the next fails, and after the run.
        var closers: [() async -> Void] = []
        let closeAll = { (closers: [() async -> Void]) in
            for close in closers.reversed() { await close() }
            await bus.close()
        }
        var applications: [any ServiceLifecycle.Service] = []
        // Printed once the servers run, which is after every service below has opened.
        let walkthrough = PlatformWalkthrough()
        do {
            let users = try await Self.opening("the user service") {
                try await UserServiceProcess.open(
                    listen: nil, environment: environment, bus: bus, logger: logger,
                    onServerRunning: { await walkthrough.serviceRunning("users", port: $0) })
            }
            closers.append(users.close)
            applications.append(users.application)
            let inventory = try await Self.opening("the inventory service") {
                try await InventoryServiceProcess.open(
                    listen: nil, environment: environment, bus: bus, logger: logger,
                    onServerRunning: { await walkthrough.serviceRunning("inventory", port: $0) })
            }
            closers.append(inventory.close)
            applications.append(inventory.application)
            // The demo catalogue (three products in two warehouses), added once, as the demo user is.
            if users.app.configuration.demoData { try await InventoryDemoData.install(store: inventory.app.store) }
            let ordersEnvironment = try await Self.opening("the order service") {
                try await ServiceClientSetup.orders.ensure(store: users.app.store, environment: environment)
            }
            let orders = try await Self.opening("the order service") {
                try await OrderServiceProcess.open(
                    listen: nil, environment: ordersEnvironment, bus: bus, logger: logger,
                    onServerRunning: { await walkthrough.serviceRunning("orders", port: $0) })
            }
            closers.append(orders.close)
            applications.append(orders.application)
            let notificationsEnvironment = try await Self.opening("the notification service") {
                try await ServiceClientSetup.notifications.ensure(store: users.app.store, environment: environment)
            }
            let notifications = try await Self.opening("the notification service") {
                try await NotificationServiceProcess.open(
                    listen: nil, environment: notificationsEnvironment, bus: bus, logger: logger,
                    onServerRunning: { await walkthrough.serviceRunning("notifications", port: $0) })
            }
            closers.append(notifications.close)
            applications.append(notifications.application)
            await walkthrough.notificationsConfigured(notifications.app.configuration)
        } catch {
            await closeAll(closers)
            throw error
        }
        let group = ServiceGroup(configuration: .init(services: applications, logger: logger))
        let (groupEnded, groupEndedContinuation) = AsyncStream<Void>.makeStream()
        let failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { groupEndedContinuation.finish() }
                    try await group.run()
                }
                do {
                    try await GatewayRunner.run(
                        options, stopEarly: { for await _ in groupEnded {} },
                        started: { server in
                            await walkthrough.gatewayStarted(
                                proxy: server.proxyAddress, admin: server.adminAddress,
                                runtime: server.runtimes.current)
                        })
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
        await closeAll(closers)
        if let failure { throw failure }
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
