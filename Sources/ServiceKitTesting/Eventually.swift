/// Waits until `condition` holds, checking every 50 ms: a guard against hanging (`false` after `seconds`), not a
/// timing assertion.
public func eventually(within seconds: Int = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
