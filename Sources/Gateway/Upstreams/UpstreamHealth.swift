/// The health of one service's targets, shared by every event loop, and kept across reloads for as long as the
/// service's upstream is unchanged.
final class UpstreamHealth: Sendable {
    let serviceName: String
    let upstream: Upstream
    /// One per target, in the upstream's order.
    let targets: [TargetHealth]
    /// Each target's addresses: its IP, or what its name resolves to.
    let addresses: [TargetAddresses]

    init(serviceName: String, upstream: Upstream) {
        self.serviceName = serviceName
        self.upstream = upstream
        self.targets = upstream.targets.map(TargetHealth.init)
        self.addresses = upstream.targets.map(TargetAddresses.init)
    }

    /// What a target's health is reported as, Kong's four states.
    enum ReportedState: String {
        case healthchecksOff = "HEALTHCHECKS_OFF"
        case healthy = "HEALTHY"
        case unhealthy = "UNHEALTHY"
        case dnsError = "DNS_ERROR"
    }

    /// Target `index`'s state: a name that resolved to nothing is a DNS error; with no checks configured (and no
    /// state set by hand) health checks are off.
    func reportedState(of index: Int) -> ReportedState {
        guard self.addresses[index].hasAddresses else { return .dnsError }
        let snapshot = self.targets[index].snapshot
        if !self.upstream.healthchecks.isEnabled && snapshot.reason == nil { return .healthchecksOff }
        return snapshot.healthy ? .healthy : .unhealthy
    }

    /// Whether target `index` may take traffic: healthy, and (for a name) resolved.
    func isAvailable(_ index: Int) -> Bool {
        self.targets[index].isHealthy && self.addresses[index].hasAddresses
    }

    /// Whether the available targets carry at least the `threshold` percentage of the weight: below it the whole
    /// upstream is unhealthy (Kong's `healthchecks.threshold`).
    func meetsThreshold() -> Bool {
        let threshold = self.upstream.healthchecks.threshold
        guard threshold > 0 else { return true }
        var total = 0
        var available = 0
        for (index, target) in self.upstream.targets.enumerated() {
            total += target.weight
            if self.isAvailable(index) { available += target.weight }
        }
        return total > 0 && Double(available) * 100 >= threshold * Double(total)
    }

    /// Counts a proxied request's outcome at target `index`, when passive checks are on.
    func reportPassive(_ outcome: TargetHealth.Outcome, target index: Int) {
        let passive = self.upstream.healthchecks.passive
        guard passive.isEnabled else { return }
        var judged = outcome
        if passive.type == .tcp, case .answered = outcome { judged = .answered(status: nil) }
        self.targets[index].report(judged, from: .passive, healthy: passive.healthy, unhealthy: passive.unhealthy)
    }
}
