import Atomics
import Foundation
import NIOConcurrencyHelpers

/// One target's health, shared by every event loop: each pick reads it with one atomic load; the outcomes of
/// proxied requests (passive checks) and of probes (active checks) change it, by Kong's rules: a success clears the
/// failure counts, a failure clears the success count, and a count reaching its rule's threshold flips the state.
final class TargetHealth: Sendable {
    /// What a request or a probe to the target came to.
    enum Outcome: Sendable, Equatable {
        /// An answer with this status (judged by the rules' status lists); nil for a TCP probe that connected.
        case answered(status: Int?)
        /// The connection could not be made, or broke.
        case tcpFailure
        case timeout
    }

    /// Who reported an outcome.
    enum Source: String, Sendable {
        case active
        case passive
    }

    /// The health and its explanation, as the admin API shows it.
    struct Snapshot: Sendable {
        var healthy: Bool
        /// Why the target is in its state: the rule that last changed it (nil: never changed, healthy from the start).
        var reason: String?
        var changedAt: Date?
        var successes: Int
        var httpFailures: Int
        var tcpFailures: Int
        var timeouts: Int
        /// The last active probe: when, and what it came to.
        var lastProbeAt: Date?
        var lastProbe: String?
    }

    let target: Target
    private let healthy = ManagedAtomic(true)
    private let record = NIOLockedValueBox(Snapshot(healthy: true, successes: 0, httpFailures: 0, tcpFailures: 0, timeouts: 0))

    init(target: Target) {
        self.target = target
    }

    var isHealthy: Bool { self.healthy.load(ordering: .relaxed) }

    var snapshot: Snapshot { self.record.withLockedValue { $0 } }

    /// Counts `outcome` by the rules of `source`; returns the new state when it changed.
    @discardableResult
    func report(
        _ outcome: Outcome,
        from source: Source,
        healthy healthyRule: Healthchecks.HealthyRule,
        unhealthy unhealthyRule: Healthchecks.UnhealthyRule,
        now: Date = Date()
    ) -> Bool? {
        let changed: Bool? = self.record.withLockedValue { record in
            if source == .active {
                record.lastProbeAt = now
                record.lastProbe = Self.describe(outcome)
            }
            let checked = "\(source.rawValue) check"
            switch outcome {
            case .answered(let status):
                if let status, !healthyRule.httpStatuses.contains(status) {
                    guard unhealthyRule.httpStatuses.contains(status) else { return nil }
                    return Self.count(&record, \.httpFailures, limit: unhealthyRule.httpFailures, now: now) { count in
                        "\(checked): \(count) HTTP failures in a row (last status \(status))"
                    }
                }
                record.httpFailures = 0
                record.tcpFailures = 0
                record.timeouts = 0
                record.successes += 1
                guard !record.healthy, healthyRule.successes > 0, record.successes >= healthyRule.successes else {
                    return nil
                }
                record.healthy = true
                record.reason = "\(checked): \(record.successes) successes in a row"
                record.changedAt = now
                record.successes = 0
                return true
            case .tcpFailure:
                return Self.count(&record, \.tcpFailures, limit: unhealthyRule.tcpFailures, now: now) { count in
                    "\(checked): \(count) TCP failures in a row"
                }
            case .timeout:
                return Self.count(&record, \.timeouts, limit: unhealthyRule.timeouts, now: now) { count in
                    "\(checked): \(count) timeouts in a row"
                }
            }
        }
        if let changed { self.healthy.store(changed, ordering: .relaxed) }
        return changed
    }

    /// Sets the state by hand (the admin API), clearing the counts.
    func set(healthy: Bool, reason: String, now: Date = Date()) {
        self.record.withLockedValue { record in
            record.healthy = healthy
            record.reason = reason
            record.changedAt = now
            record.successes = 0
            record.httpFailures = 0
            record.tcpFailures = 0
            record.timeouts = 0
        }
        self.healthy.store(healthy, ordering: .relaxed)
    }

    /// Counts a failure in `counter` (clearing the success count); makes a healthy target unhealthy, for the
    /// `reason` of the count, when the count reached `limit` (a limit of 0 is off).
    private static func count(
        _ record: inout Snapshot,
        _ counter: WritableKeyPath<Snapshot, Int>,
        limit: Int,
        now: Date,
        reason: (Int) -> String
    ) -> Bool? {
        record.successes = 0
        record[keyPath: counter] += 1
        guard record.healthy, limit > 0, record[keyPath: counter] >= limit else { return nil }
        record.healthy = false
        record.reason = reason(record[keyPath: counter])
        record.changedAt = now
        record.httpFailures = 0
        record.tcpFailures = 0
        record.timeouts = 0
        return false
    }

    private static func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .answered(let status?): return "status \(status)"
        case .answered(nil): return "connected"
        case .tcpFailure: return "TCP failure"
        case .timeout: return "timeout"
        }
    }
}
