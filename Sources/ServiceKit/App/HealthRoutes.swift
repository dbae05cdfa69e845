import Hummingbird

/// Something `GET /health/ready` checks: the database, the cache.
public struct ReadinessCheck: Sendable {
    /// What is checked, as the answer names it (`database`, `cache`).
    public let name: String
    /// Throws when the dependency is not usable.
    public let check: @Sendable () async throws -> Void

    /// A check named `name`.
    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// `GET /health/live` (the process answers) and `GET /health/ready` (every check passes: 200 with each check's
/// `ok`, else 503 saying which failed, without the error itself).
enum HealthRoutes {
    struct Report: Encodable {
        let status: String
        let checks: [String: String]
    }

    static func add(to router: Router<ServiceRequestContext>, checks: [ReadinessCheck]) {
        router.get("/health/live") { _, _ in
            try JSONResponse.make(Report(status: "ok", checks: [:]))
        }
        router.get("/health/ready") { _, context in
            var results: [String: String] = [:]
            for check in checks {
                do {
                    try await check.check()
                    results[check.name] = "ok"
                } catch {
                    context.logger.warning(
                        "readiness check failed", metadata: ["check": "\(check.name)", "error": "\(error)"])
                    results[check.name] = "unavailable"
                }
            }
            let ready = results.values.allSatisfy { $0 == "ok" }
            return try JSONResponse.make(
                Report(status: ready ? "ok" : "unavailable", checks: results),
                status: ready ? .ok : .serviceUnavailable)
        }
    }
}
