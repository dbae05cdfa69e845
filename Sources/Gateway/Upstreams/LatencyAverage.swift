import Foundation
import NIOCore

/// A target's response time as an exponentially weighted moving average that forgets with time, as Kong's `latency`
/// algorithm keeps it: a sample taken `Δt` after the previous one weighs `1 - exp(-Δt / decay)`.
struct LatencyAverage {
    /// Kong's decay time.
    static let decay: Double = 10

    private(set) var seconds: Double?
    private var sampledAt: NIODeadline?

    mutating func add(_ sample: TimeAmount, at now: NIODeadline) {
        let value = Double(sample.nanoseconds) / 1e9
        guard let average = self.seconds, let previous = self.sampledAt else {
            self.seconds = value
            self.sampledAt = now
            return
        }
        let elapsed = Double((now - previous).nanoseconds) / 1e9
        let kept = elapsed > 0 ? exp(-elapsed / Self.decay) : 1 - 1 / Self.decay
        self.seconds = average * kept + value * (1 - kept)
        self.sampledAt = now
    }
}
