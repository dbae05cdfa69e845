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
        var changedAt: String?
        var data: TargetData
    }

    struct TargetData: Encodable {
        var addresses: [Address]
        var dns: String?
        var counters: Counters
        var lastProbe: String?
        var lastProbeAt: String?
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
        let time = ISO8601DateFormatter()
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
            let health: String
            if resolved.addresses.isEmpty {
                health = "DNS_ERROR"
            } else if !checks.isEnabled && snapshot.reason == nil {
                health = "HEALTHCHECKS_OFF"
            } else {
                health = snapshot.healthy ? "HEALTHY" : "UNHEALTHY"
            }
            return TargetEntry(
                target: target.description,
                weight: target.weight,
                health: health,
                reason: snapshot.reason,
                changedAt: snapshot.changedAt.map(time.string(from:)),
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
                    lastProbeAt: snapshot.lastProbeAt.map(time.string(from:))
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
        case data, next, total, health, algorithm, activeChecks, passiveChecks
    }
}
