import ServiceKit

/// Runs `body` with a new in-process event bus (logging to the tests' logger), closed afterwards.
public func withTestEventBus<Result>(_ body: (InProcessEventBus) async throws -> Result) async throws -> Result {
    let bus = InProcessEventBus(logger: ServiceTestEnvironment.logger)
    do {
        let result = try await body(bus)
        await bus.close()
        return result
    } catch {
        await bus.close()
        throw error
    }
}
