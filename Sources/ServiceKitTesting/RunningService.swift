import Logging
import ServiceLifecycle

/// Runs a server (built with a callback that receives its bound port; ask for port 0) while `body` runs with that
/// port, then stops it gracefully, also when `body` throws.
///
/// - Throws: `TestSetupError` when the server does not report a port within the hang guard; what `body` throws.
public func withRunningService<Result>(
    _ make: (@escaping @Sendable (Int) async -> Void) -> any Service, _ body: (Int) async throws -> Result
) async throws -> Result {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let service = make { continuation.yield($0) }
    let group = ServiceGroup(configuration: .init(services: [service], logger: ServiceTestEnvironment.logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        guard let port = await firstElement(of: ports, within: 30) else {
            await group.triggerGracefulShutdown()
            throw TestSetupError("the server did not start")
        }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
