import NIOConcurrencyHelpers
import NIOCore

/// The gateway's metrics, in Kong's prometheus plugin's names with the `acme_` prefix so a Kong dashboard ports by
/// a prefix change: requests by service, route and status; request, upstream and gateway latency histograms;
/// bandwidth; connections; and counters plugins declare. Each event loop records into its own share without a
/// lock; `render` merges the shares on a scrape.
public final class GatewayMetrics: Sendable {
    /// A loop's share, and the loop it belongs to.
    private final class Share: @unchecked Sendable {
        // Unchecked: `metrics` is only read or written on `loop` (recording runs on the request's loop, a scrape
        // hops there), which `record` checks in debug builds.
        let loop: any EventLoop
        let metrics = LoopMetrics()

        init(loop: any EventLoop) {
            self.loop = loop
        }
    }

    private let shares: [ObjectIdentifier: Share]
    private let connections: ConnectionStatistics?
    private let reloads: ReloadStatistics?
    private let upstreams: UpstreamRegistry?
    /// Kong's `node_id` label: this process.
    private let nodeID: String

    /// Metrics for the loops of `group`; `connections` adds the connection and request totals, `reloads` the
    /// configuration reloads.
    public convenience init(group: any EventLoopGroup, connections: ConnectionStatistics? = nil, reloads: ReloadStatistics? = nil) {
        self.init(group: group, connections: connections, reloads: reloads, upstreams: nil)
    }

    /// The same, with the health of every upstream target (`acme_upstream_target_health`).
    init(group: any EventLoopGroup, connections: ConnectionStatistics?, reloads: ReloadStatistics?, upstreams: UpstreamRegistry?) {
        var shares: [ObjectIdentifier: Share] = [:]
        for loop in group.makeIterator() { shares[ObjectIdentifier(loop)] = Share(loop: loop) }
        self.shares = shares
        self.connections = connections
        self.reloads = reloads
        self.upstreams = upstreams
        self.nodeID = Self.makeNodeID()
    }

    private init() {
        self.shares = [:]
        self.connections = nil
        self.reloads = nil
        self.upstreams = nil
        self.nodeID = ""
    }

    /// Metrics that record nothing: for plugins made only to check a configuration.
    public static let disabled = GatewayMetrics()

    /// Records a request's observation; call on `eventLoop` (the request's).
    public func observe(_ observation: RequestObservation, on eventLoop: any EventLoop) {
        self.share(of: eventLoop)?.metrics.observe(observation)
    }

    /// Counts one event of `family` with `labels` (in its label order); call on `eventLoop`.
    public func increment(_ family: CounterFamily, labels: [String], on eventLoop: any EventLoop) {
        self.share(of: eventLoop)?.metrics.increment(family, labels: labels)
    }

    private func share(of eventLoop: any EventLoop) -> Share? {
        guard let share = self.shares[ObjectIdentifier(eventLoop)] else { return nil }
        share.loop.preconditionInEventLoop()
        return share
    }

    /// The Prometheus text exposition of every loop's share, merged; completes on `eventLoop`.
    public func render(on eventLoop: any EventLoop) -> EventLoopFuture<String> {
        let snapshots = self.shares.values.map { share in share.loop.submit { share.metrics.snapshot } }
        return EventLoopFuture.whenAllSucceed(snapshots, on: eventLoop).map { snapshots in
            var merged = LoopMetrics.Snapshot()
            for snapshot in snapshots { merged.merge(snapshot) }
            let exposition = MetricsExposition(
                nodeID: self.nodeID,
                connections: self.connections,
                reloads: self.reloads,
                upstreams: self.upstreams
            )
            return exposition.text(merged)
        }
    }

    private static func makeNodeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
