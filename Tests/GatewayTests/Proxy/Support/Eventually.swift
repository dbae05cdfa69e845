/// Polls `condition` every 20 ms until it holds; throws `TestTimeoutError` after `limit` (a hang guard, not a
/// timing assertion).
func eventually(_ what: String, limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else { throw TestTimeoutError(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}
