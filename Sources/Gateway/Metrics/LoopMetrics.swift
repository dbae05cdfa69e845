/// One event loop's share of the metrics, touched only on that loop: recording a request takes no lock and
/// contends with no other loop. A scrape collects every loop's `snapshot` on its own loop and merges them.
final class LoopMetrics {
    struct StatusKey: Hashable, Sendable {
        var service: String
        var route: String
        var code: UInt
        var source: String
        var consumer: String
    }

    struct RouteKey: Hashable, Sendable {
        var service: String
        var route: String
    }

    struct BandwidthKey: Hashable, Sendable {
        var service: String
        var route: String
        var direction: String
        var consumer: String
    }

    struct Latencies: Sendable {
        var request = LatencyHistogram(bounds: LatencyHistogram.upstreamBounds)
        var upstream = LatencyHistogram(bounds: LatencyHistogram.upstreamBounds)
        var gateway = LatencyHistogram(bounds: LatencyHistogram.gatewayBounds)

        mutating func merge(_ other: Latencies) {
            self.request.merge(other.request)
            self.upstream.merge(other.upstream)
            self.gateway.merge(other.gateway)
        }
    }

    struct CounterKey: Hashable, Sendable {
        var family: CounterFamily
        var labels: [String]
    }

    /// Everything one loop counted, or the sum of several loops.
    struct Snapshot: Sendable {
        var statuses: [StatusKey: UInt64] = [:]
        var latencies: [RouteKey: Latencies] = [:]
        var bandwidth: [BandwidthKey: UInt64] = [:]
        var counters: [CounterKey: UInt64] = [:]

        mutating func merge(_ other: Snapshot) {
            self.statuses.merge(other.statuses, uniquingKeysWith: +)
            self.bandwidth.merge(other.bandwidth, uniquingKeysWith: +)
            self.counters.merge(other.counters, uniquingKeysWith: +)
            for (key, latencies) in other.latencies { self.latencies[key, default: Latencies()].merge(latencies) }
        }
    }

    private(set) var snapshot = Snapshot()

    func observe(_ observation: RequestObservation) {
        if let status = observation.status {
            let key = StatusKey(
                service: observation.service,
                route: observation.route,
                code: status.code,
                source: status.source,
                consumer: observation.consumer
            )
            self.snapshot.statuses[key, default: 0] += 1
        }
        if let latencies = observation.latencies {
            let key = RouteKey(service: observation.service, route: observation.route)
            self.snapshot.latencies[key, default: Latencies()].request.observe(latencies.request)
            if let upstream = latencies.upstream { self.snapshot.latencies[key, default: Latencies()].upstream.observe(upstream) }
            self.snapshot.latencies[key, default: Latencies()].gateway.observe(latencies.gateway)
        }
        if let bandwidth = observation.bandwidth {
            for (direction, bytes) in [("ingress", bandwidth.ingress), ("egress", bandwidth.egress)] where bytes > 0 {
                let key = BandwidthKey(
                    service: observation.service,
                    route: observation.route,
                    direction: direction,
                    consumer: observation.consumer
                )
                self.snapshot.bandwidth[key, default: 0] += UInt64(bytes)
            }
        }
    }

    func increment(_ family: CounterFamily, labels: [String]) {
        self.snapshot.counters[CounterKey(family: family, labels: labels), default: 0] += 1
    }
}
