import Hummingbird
import Logging
import ServiceLifecycle

/// How every service is put together: a router with the shared middleware (request ids, access logs, metrics,
/// problem documents, bearer tokens) and routes (`/health/live`, `/health/ready`, `/metrics`), and a Hummingbird
/// application on the listen address. The service adds its own routes to the router before building.
///
/// ```swift
/// let router = ServiceApplication.makeRouter(readiness: checks, verifier: verifier)
/// MyRoutes(store: store).add(to: router)
/// let app = ServiceApplication.make(name: "users", router: router, listen: address, services: [relay], logger: logger)
/// try await app.runService()   // SIGTERM/SIGINT: stop accepting, finish in-flight requests, stop the services
/// ```
public enum ServiceApplication {
    /// A router with the shared middleware and routes. `verifier` checks bearer tokens (none: every request is
    /// anonymous).
    public static func makeRouter(
        readiness: [ReadinessCheck], verifier: TokenVerifier?
    ) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.middlewares.add(RequestIDMiddleware())
        router.middlewares.add(AccessLogMiddleware())
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(ProblemMiddleware())
        if let verifier {
            router.middlewares.add(BearerAuthenticationMiddleware(verifier: verifier))
        }
        HealthRoutes.add(to: router, checks: readiness)
        ServiceMetrics.add(to: router)
        return router
    }

    /// The application serving `router` on `listen`, running `services` (an outbox relay, ...) beside the server
    /// and stopping them with it. `onServerRunning` learns the bound port (useful with port 0).
    public static func make(
        name: String, router: Router<ServiceRequestContext>, listen: ServiceListenAddress, services: [any Service] = [],
        logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<ServiceRequestContext>> {
        Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: "acme-\(name)"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? listen.port) },
            logger: logger
        )
    }
}
