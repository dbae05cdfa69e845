#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time as plugins read it (token expiry, rate-limit windows); tests inject one they move by hand.
public protocol GatewayClock: Sendable {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    func now() -> Double
}

/// The system's real-time clock.
public struct SystemClock: GatewayClock {
    public init() {}

    public func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
