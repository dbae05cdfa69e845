import Foundation

/// `GET /upstreams/NAME/health` as Kong answers it: each target with its weight and health (`HEALTHY`, `UNHEALTHY`,
/// `DNS_ERROR`, or `HEALTHCHECKS_OFF` when nothing is checked), its addresses, and here also why it is in its state
/// and the counts that will change it; the upstream's own health (below its threshold it takes no traffic).
struct AdminUpstreamHealth: Encodable {
    struct TargetEntry: Encodable {
        var target: String
        var weight: Int
        var health: String
        var reason: String?
        var changedAt: Date?
        var data: TargetData

        private enum CodingKeys: String, CodingKey {
            case target, weight, health, reason, data
            case changedAt = "changed_at"
        }
    }

    struct TargetData: Encodable {
        var addresses: [Address]
        var dns: String?
        var counters: Counters
        var lastProbe: String?
        var lastProbeAt: Date?

        private enum CodingKeys: String, CodingKey {
            case addresses, dns, counters
            case lastProbe = "last_probe"
            case lastProbeAt = "last_probe_at"
        }
    }

    struct Address: Encodable {
        var ip: String
        var port: Int
        var health: String
        var weight: Int
    }

    struct Counters: Encodable {
        var successes: Int
        var httpFailures: Int
        var tcpFailures: Int
        var timeouts: Int

        private enum CodingKeys: String, CodingKey {
            case successes, timeouts
            case httpFailures = "http_failures"
            case tcpFailures = "tcp_failures"
        }
    }

    var data: [TargetEntry]
    var next: String?
    var total: Int
    var health: String
    var algorithm: String
    var activeChecks: Bool
    var passiveChecks: Bool

    init(_ upstream: UpstreamHealth) {
        let checks = upstream.upstream.healthchecks
        self.data = upstream.targets.indices.map { index in
            let target = upstream.upstream.targets[index]
            let snapshot = upstream.targets[index].snapshot
            let resolved = upstream.addresses[index].current
            var dns: String?
            switch resolved.resolution {
            case .literal: dns = nil
            case .pending: dns = "resolving"
            case .resolved(let ttl): dns = ttl == Int.max ? "hosts file" : "resolved, ttl \(ttl) s"
            case .failed(let message): dns = message
            }
            let health = upstream.reportedState(of: index).rawValue
            return TargetEntry(
                target: target.description,
                weight: target.weight,
                health: health,
                reason: snapshot.reason,
                changedAt: snapshot.changedAt,
                data: TargetData(
                    addresses: resolved.addresses.map { Address(ip: $0, port: target.port, health: health, weight: target.weight) },
                    dns: dns,
                    counters: Counters(
                        successes: snapshot.successes,
                        httpFailures: snapshot.httpFailures,
                        tcpFailures: snapshot.tcpFailures,
                        timeouts: snapshot.timeouts
                    ),
                    lastProbe: snapshot.lastProbe,
                    lastProbeAt: snapshot.lastProbeAt
                )
            )
        }
        self.next = nil
        self.total = self.data.count
        self.health = upstream.meetsThreshold() && upstream.targets.indices.contains(where: upstream.isAvailable) ? "HEALTHY" : "UNHEALTHY"
        self.algorithm = upstream.upstream.algorithm.rawValue
        self.activeChecks = checks.active.isEnabled
        self.passiveChecks = checks.passive.isEnabled
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.data, forKey: .data)
        try container.encodeNil(forKey: .next)
        try container.encode(self.total, forKey: .total)
        try container.encode(self.health, forKey: .health)
        try container.encode(self.algorithm, forKey: .algorithm)
        try container.encode(self.activeChecks, forKey: .activeChecks)
        try container.encode(self.passiveChecks, forKey: .passiveChecks)
    }

    private enum CodingKeys: String, CodingKey {
        case data, next, total, health, algorithm
        case activeChecks = "active_checks"
        case passiveChecks = "passive_checks"
    }
}
