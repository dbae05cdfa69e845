/// An upstream's `healthchecks`, Kong's nested schema: `active`, `passive`, `threshold`.
extension ConfigDecoder {
    static let healthchecksFields = ["active", "passive", "threshold"]
    static let activeFields = ["type", "timeout", "concurrency", "http_path", "headers", "healthy", "unhealthy"]
    static let passiveFields = ["type", "healthy", "unhealthy"]
    static let activeHealthyFields = ["interval", "http_statuses", "successes"]
    static let activeUnhealthyFields = ["interval", "http_statuses", "tcp_failures", "timeouts", "http_failures"]
    static let passiveHealthyFields = ["http_statuses", "successes"]
    static let passiveUnhealthyFields = ["http_statuses", "tcp_failures", "timeouts", "http_failures"]
    /// Kong's bounds: seconds up to 65535, counters fit a byte, statuses are three digits.
    static let secondsRange: ClosedRange<Double> = 0...65_535
    static let counterRange: ClosedRange<Int64> = 0...255
    static let statusRange: ClosedRange<Int64> = 100...999
    static let concurrencyRange: ClosedRange<Int64> = 1...2_147_483_648

    mutating func healthchecks(_ node: ConfigNode?) -> Healthchecks? {
        guard let node else { return Healthchecks() }
        guard let object = self.object(node, fields: Self.healthchecksFields) else { return nil }
        var checks = Healthchecks()
        if let active = self.activeChecks(object["active"], defaults: checks.active) { checks.active = active }
        if let passive = self.passiveChecks(object["passive"], defaults: checks.passive) { checks.passive = passive }
        if let threshold = self.number(object["threshold"], in: 0...100, expected: "a percentage from 0 to 100") {
            checks.threshold = threshold
        }
        return checks
    }

    private mutating func activeChecks(_ node: ConfigNode?, defaults: Healthchecks.Active) -> Healthchecks.Active? {
        guard let object = self.object(node, fields: Self.activeFields) else { return nil }
        var active = defaults
        if let type = self.probeType(object["type"]) { active.type = type }
        if let timeout = self.seconds(object["timeout"]) { active.timeout = timeout }
        if let concurrency = self.integer(
            object["concurrency"],
            in: Self.concurrencyRange,
            expected: "a positive integer"
        ) {
            active.concurrency = concurrency
        }
        if let pathNode = object["http_path"], let path = self.string(pathNode) {
            if path.hasPrefix("/"), HostSyntax.isURLPath(path[...]) {
                active.httpPath = path
            } else {
                self.fail(pathNode, expected: "a path starting with /")
            }
        }
        if let headers = self.probeHeaders(object["headers"]) { active.headers = headers }
        if let healthy = self.healthyRule(object["healthy"], fields: Self.activeHealthyFields, defaults: active.healthy) {
            active.healthy = healthy
        }
        if let unhealthy = self.unhealthyRule(
            object["unhealthy"],
            fields: Self.activeUnhealthyFields,
            defaults: active.unhealthy
        ) {
            active.unhealthy = unhealthy
        }
        return active
    }

    private mutating func passiveChecks(_ node: ConfigNode?, defaults: Healthchecks.Passive) -> Healthchecks.Passive? {
        guard let object = self.object(node, fields: Self.passiveFields) else { return nil }
        var passive = defaults
        if let type = self.probeType(object["type"]) { passive.type = type }
        if let healthy = self.healthyRule(object["healthy"], fields: Self.passiveHealthyFields, defaults: passive.healthy) {
            passive.healthy = healthy
        }
        if let unhealthy = self.unhealthyRule(
            object["unhealthy"],
            fields: Self.passiveUnhealthyFields,
            defaults: passive.unhealthy
        ) {
            passive.unhealthy = unhealthy
        }
        return passive
    }

    private mutating func healthyRule(
        _ node: ConfigNode?,
        fields: [String],
        defaults: Healthchecks.HealthyRule
    ) -> Healthchecks.HealthyRule? {
        guard let object = self.object(node, fields: fields) else { return nil }
        var rule = defaults
        if let interval = self.seconds(object["interval"]) { rule.interval = interval }
        if let statuses = self.statuses(object["http_statuses"]) { rule.httpStatuses = statuses }
        if let successes = self.counter(object["successes"]) { rule.successes = successes }
        return rule
    }

    private mutating func unhealthyRule(
        _ node: ConfigNode?,
        fields: [String],
        defaults: Healthchecks.UnhealthyRule
    ) -> Healthchecks.UnhealthyRule? {
        guard let object = self.object(node, fields: fields) else { return nil }
        var rule = defaults
        if let interval = self.seconds(object["interval"]) { rule.interval = interval }
        if let statuses = self.statuses(object["http_statuses"]) { rule.httpStatuses = statuses }
        if let failures = self.counter(object["tcp_failures"]) { rule.tcpFailures = failures }
        if let timeouts = self.counter(object["timeouts"]) { rule.timeouts = timeouts }
        if let failures = self.counter(object["http_failures"]) { rule.httpFailures = failures }
        return rule
    }

    private mutating func probeType(_ node: ConfigNode?) -> Healthchecks.ProbeType? {
        guard let name = self.string(node), let node else { return nil }
        guard let type = Healthchecks.ProbeType(rawValue: name) else {
            let names = Healthchecks.ProbeType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            self.fail(node, expected: "one of \(names)")
            return nil
        }
        return type
    }

    private mutating func seconds(_ node: ConfigNode?) -> Double? {
        self.number(node, in: Self.secondsRange, expected: "a number of seconds from 0 to 65535")
    }

    private mutating func counter(_ node: ConfigNode?) -> Int? {
        self.integer(node, in: Self.counterRange, expected: "an integer from 0 to 255")
    }

    private mutating func statuses(_ node: ConfigNode?) -> Set<Int>? {
        guard let elements = self.array(node) else { return nil }
        return Set(elements.compactMap { self.integer($0, in: Self.statusRange, expected: "an HTTP status from 100 to 999") })
    }

    /// `{"Name": ["value", ...]}` (a single string value is accepted too).
    private mutating func probeHeaders(_ node: ConfigNode?) -> [String: [String]]? {
        guard let object = self.object(node, fields: nil) else { return nil }
        var headers: [String: [String]] = [:]
        for (name, valueNode) in object.nodes {
            if case .string = valueNode.value {
                if let value = self.string(valueNode) { headers[name] = [value] }
            } else if let values = self.strings(valueNode) {
                headers[name] = values
            }
        }
        return headers
    }
}
