/// Target health in Kong's prometheus plugin's family: one sample per target address and state, 1 for the state
/// the target is in and 0 for the others.
extension UpstreamRegistry {
    private static let healthStates: [UpstreamHealth.ReportedState] = [.healthchecksOff, .healthy, .unhealthy, .dnsError]

    func render(into out: inout PrometheusText) {
        let upstreams = self.inForce.sorted { $0.serviceName < $1.serviceName }
        guard !upstreams.isEmpty else { return }
        let name = "acme_upstream_target_health"
        out.family(name, type: "gauge", help: "Health status of targets of upstream. States = healthchecks_off|healthy|unhealthy|dns_error, value is 1 when state is populated.")
        for upstream in upstreams {
            for (index, target) in upstream.upstream.targets.enumerated() {
                let addresses = upstream.addresses[index].current.addresses
                let state = upstream.reportedState(of: index)
                for address in addresses.isEmpty ? [""] : addresses.map({ "\($0):\(target.port)" }) {
                    for candidate in Self.healthStates {
                        out.sample(
                            name,
                            labels: [
                                ("upstream", upstream.serviceName), ("target", target.description), ("address", address),
                                ("state", candidate.rawValue.lowercased()), ("subsystem", "http"),
                            ],
                            value: candidate == state ? "1" : "0"
                        )
                    }
                }
            }
        }
    }
}
