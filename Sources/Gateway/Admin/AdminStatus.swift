import Foundation

/// `GET /status`: the server's counters (Kong's `server` block), the configuration in force (Kong's
/// `configuration_hash`), the last reload, the version and the uptime.
struct AdminStatus: Encodable {
    struct Server: Encodable {
        var connectionsAccepted: Int
        var connectionsActive: Int
        var totalRequests: Int

        private enum CodingKeys: String, CodingKey {
            case connectionsAccepted = "connections_accepted", connectionsActive = "connections_active"
            case totalRequests = "total_requests"
        }
    }

    struct Configuration: Encodable {
        var generation: Int
        var loadedAt: Date
        var services: Int
        var routes: Int
        var plugins: Int
        var consumers: Int

        private enum CodingKeys: String, CodingKey {
            case generation, services, routes, plugins, consumers
            case loadedAt = "loaded_at"
        }
    }

    struct Reload: Encodable {
        var at: Date
        var trigger: String
        var result: String
        var errors: [AdminConfigError]

        init(_ record: ReloadRecord) {
            self.at = record.at
            self.trigger = record.trigger.rawValue
            self.result = record.result.rawValue
            self.errors = record.errors.map(AdminConfigError.init)
        }
    }

    var server: Server
    var configuration: Configuration
    var configurationHash: String?
    var lastReload: Reload?
    var version: String
    var uptimeSeconds: Int

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.server, forKey: .server)
        try container.encode(self.configuration, forKey: .configuration)
        try container.encode(self.configurationHash, forKey: .configurationHash)
        try container.encode(self.lastReload, forKey: .lastReload)
        try container.encode(self.version, forKey: .version)
        try container.encode(self.uptimeSeconds, forKey: .uptimeSeconds)
    }

    private enum CodingKeys: String, CodingKey {
        case server, configuration, version
        case configurationHash = "configuration_hash", lastReload = "last_reload", uptimeSeconds = "uptime_seconds"
    }
}

/// A configuration error as the admin API shows it: the file, the JSON path in it, and what was expected.
struct AdminConfigError: Encodable {
    var file: String
    var path: String
    var message: String

    init(_ error: ConfigError) {
        self.file = error.file
        self.path = error.path
        self.message = error.message
    }
}

/// What `POST /reload` answers.
struct AdminReloadAnswer: Encodable {
    var message: String
    /// The generation in force afterwards: the new one, or the old one after a refusal.
    var generation: Int
    var configurationHash: String?
    var errors: [AdminConfigError]?

    private enum CodingKeys: String, CodingKey {
        case message, generation, errors
        case configurationHash = "configuration_hash"
    }
}
