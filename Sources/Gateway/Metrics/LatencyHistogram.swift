/// Counts of observations in millisecond buckets (the bounds are upper bounds; the last bucket is `+Inf`), with
/// their sum: what a Prometheus histogram exposes.
struct LatencyHistogram: Sendable {
    /// Kong's buckets for the latency the gateway itself adds.
    static let gatewayBounds = [1, 2, 5, 7, 10, 15, 20, 30, 50, 75, 100, 200, 500, 750, 1000, 3000, 6000]
    /// Kong's buckets for upstream and whole-request latencies.
    static let upstreamBounds = [25, 50, 80, 100, 250, 400, 700, 1000, 2000, 5000, 10000, 30000, 60000]

    let bounds: [Int]
    /// Observations per bucket (not cumulative); those above the last bound are only in `count`.
    private(set) var counts: [UInt64]
    private(set) var sum: Int64 = 0
    private(set) var count: UInt64 = 0

    init(bounds: [Int]) {
        self.bounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ milliseconds: Int64) {
        self.count += 1
        self.sum += milliseconds
        if let index = self.bounds.firstIndex(where: { milliseconds <= Int64($0) }) { self.counts[index] += 1 }
    }

    /// Adds another histogram with the same bounds.
    mutating func merge(_ other: LatencyHistogram) {
        for index in self.counts.indices { self.counts[index] += other.counts[index] }
        self.sum += other.sum
        self.count += other.count
    }
}
