import Atomics

/// The counts one key holds in every period, as one immutable value. A request reads it, decides, and swaps in the
/// value with its own count added by one compare-and-exchange: it is counted in all its windows at once or (when
/// another request swapped first, and it decides again) in none, so concurrent requests on any event loops are
/// counted exactly, without a lock.
final class LocalCounters: AtomicReference, Sendable {
    /// One period's counts: the window that starts at `start`, what it counted, and what the window before counted.
    struct Slot: Sendable {
        var start: Int64 = .min
        var current = 0
        var previous = 0
    }

    /// The slots of the six periods.
    struct Slots: Sendable {
        private var second = Slot(), minute = Slot(), hour = Slot(), day = Slot(), month = Slot(), year = Slot()

        subscript(period: RateLimitPeriod) -> Slot {
            get {
                switch period {
                case .second: self.second
                case .minute: self.minute
                case .hour: self.hour
                case .day: self.day
                case .month: self.month
                case .year: self.year
                }
            }
            set {
                switch period {
                case .second: self.second = newValue
                case .minute: self.minute = newValue
                case .hour: self.hour = newValue
                case .day: self.day = newValue
                case .month: self.month = newValue
                case .year: self.year = newValue
                }
            }
        }
    }

    let slots: Slots
    /// Set on counters that no window needs any more, which the store has dropped: a request that finds them
    /// counts in the counters that replaced them.
    let isRetired: Bool

    static let empty = LocalCounters(slots: Slots(), isRetired: false)
    static let retired = LocalCounters(slots: Slots(), isRetired: true)

    private init(slots: Slots, isRetired: Bool) {
        self.slots = slots
        self.isRetired = isRetired
    }

    /// What `window`'s period counted, seen from `window`: the counts of its window and the one before (this
    /// window's count is the previous one once the next window started). A request whose clock reading is older
    /// than the newest window counted counts in that window.
    func counts(in window: RateLimitWindow) -> (current: Int, previous: Int) {
        let slot = self.slots[window.period]
        if slot.start >= window.start { return (slot.current, slot.previous) }
        if slot.start == window.previousStart { return (0, slot.current) }
        return (0, 0)
    }

    /// These counters with one more request in each of `windows`, whose counts are `counts`.
    func counting(_ windows: [RateLimitWindow], counts: [(current: Int, previous: Int)]) -> LocalCounters {
        var slots = self.slots
        for (window, count) in zip(windows, counts) {
            let start = max(slots[window.period].start, window.start)
            slots[window.period] = Slot(start: start, current: count.current + 1, previous: count.previous)
        }
        return LocalCounters(slots: slots, isRetired: false)
    }

    /// Whether no window needs these counters at `time` (seconds since 1970): for each period, the window counted
    /// and the one after it (to which it is the previous window) are over.
    func isExpired(at time: Int64) -> Bool {
        RateLimitPeriod.allCases.allSatisfy { period in
            let start = self.slots[period].start
            guard start != .min else { return true }
            return time >= period.window(containing: period.window(containing: start).end).end
        }
    }
}
