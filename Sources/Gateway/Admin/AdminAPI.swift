import Foundation
import NIOCore
import NIOHTTP1

/// The admin API's answers, apart from the listener so they can be tested without sockets.
struct AdminAPI: Sendable {
    let runtimes: GatewayRuntimeHolder
    let statistics: ConnectionStatistics
    let metrics: GatewayMetrics
    let startedAt: Date

    struct Answer {
        var status: HTTPResponseStatus
        var body: [UInt8]
        var contentType = "application/json; charset=utf-8"
    }

    /// Answers a request, on `eventLoop`: `GET /metrics` gathers every event loop's share of the metrics first.
    func answer(method: HTTPMethod, path: String, on eventLoop: any EventLoop) -> EventLoopFuture<Answer> {
        guard method == .GET, path == "/metrics" else { return eventLoop.makeSucceededFuture(self.answer(method: method, path: path)) }
        return self.metrics.render(on: eventLoop).map { text in
            Answer(status: .ok, body: Array(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    func answer(method: HTTPMethod, path: String) -> Answer {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        switch (method, trimmed) {
        case (.GET, "/status"): return Self.json(self.status())
        case (.GET, "/routes"): return Self.json(AdminList(data: self.runtimes.current.router.routesInPriorityOrder.map(AdminRoute.init)))
        case (_, "/status"), (_, "/routes"), (_, "/metrics"):
            return Self.json(AdminMessage(message: "Method not allowed"), status: .methodNotAllowed)
        default:
            return Self.json(AdminMessage(message: "Not found"), status: .notFound)
        }
    }

    private func status() -> AdminStatus {
        let runtime = self.runtimes.current
        return AdminStatus(
            server: .init(
                connectionsAccepted: self.statistics.connectionsAccepted,
                connectionsActive: self.statistics.connectionsActive,
                totalRequests: self.statistics.totalRequests
            ),
            configuration: .init(
                generation: runtime.generation,
                services: runtime.configuration.services.count,
                routes: runtime.configuration.routes.count,
                plugins: runtime.configuration.plugins.count,
                consumers: runtime.configuration.consumers.count
            ),
            version: GatewayVersion.string,
            uptimeSeconds: Int(Date().timeIntervalSince(self.startedAt))
        )
    }

    private static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> Answer {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Answer(status: status, body: Array(body))
    }
}

/// A list as Kong's admin API answers it.
struct AdminList<Element: Encodable>: Encodable {
    var data: [Element]
    var next: String? = nil

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.data, forKey: .data)
        try container.encodeNil(forKey: .next)
    }

    private enum CodingKeys: String, CodingKey { case data, next }
}

struct AdminMessage: Encodable {
    var message: String
}

struct AdminStatus: Encodable {
    struct Server: Encodable {
        var connectionsAccepted: Int
        var connectionsActive: Int
        var totalRequests: Int
    }

    struct Configuration: Encodable {
        var generation: Int
        var services: Int
        var routes: Int
        var plugins: Int
        var consumers: Int
    }

    var server: Server
    var configuration: Configuration
    var version: String
    var uptimeSeconds: Int
}

/// A route as the admin API shows it: Kong's field names, the service by name.
struct AdminRoute: Encodable {
    struct ServiceReference: Encodable {
        var name: String
    }

    var name: String
    var service: ServiceReference
    var paths: [String]
    var methods: [String]
    var hosts: [String]
    var headers: [String: [String]]
    var stripPath: Bool
    var preserveHost: Bool
    var regexPriority: Int
    var source: String

    init(_ route: Route) {
        self.name = route.name
        self.service = ServiceReference(name: route.serviceName)
        self.paths = route.paths.map(\.description)
        self.methods = route.methods
        self.hosts = route.hosts
        self.headers = route.headers
        self.stripPath = route.stripPath
        self.preserveHost = route.preserveHost
        self.regexPriority = route.regexPriority
        self.source = route.location.file
    }
}
