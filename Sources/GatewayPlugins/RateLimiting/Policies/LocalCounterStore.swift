import Atomics
import Gateway
import NIOConcurrencyHelpers
import NIOCore

/// The `local` policy's counters: one gateway's, shared by its routes and kept across reloads (a shared resource).
///
/// Each key (the plugin's scope and the identifier) has one cell holding its `LocalCounters`; a request counts
/// with a compare-and-exchange on the cell, so it is exact across event loops without a lock. Cells are found in a
/// table of the request's own event loop, used on that loop only; a loop that meets a key for the first time asks
/// the shared table, under its lock, once. Every `sweepInterval` seconds, a loop's first request drops the cells no
/// window needs any more from its table and the shared one: it retires them first (a compare-and-exchange too), so
/// a loop still holding one finds it retired and takes the cell that replaced it; a key never has two live cells.
final class LocalCounterStore: SharedResource {
    struct Key: Hashable, Sendable {
        /// Where the plugin's configuration was written (`PluginScope`).
        let scope: String
        let identifier: RateLimitIdentifier
    }

    /// One key's counters.
    final class Cell: Sendable {
        let counters = ManagedAtomic(LocalCounters.empty)

        /// Counts a request in `windows` if it fits in each; nil when the cell is retired.
        func hit(_ windows: [RateLimitWindow]) -> RateLimitDecision? {
            var counters = self.counters.load(ordering: .acquiring)
            while !counters.isRetired {
                let counts = windows.map { counters.counts(in: $0) }
                let decision = RateLimitDecision(windows: windows, counts: counts)
                guard decision.admitted else { return decision }
                let (exchanged, found) = self.counters.compareExchange(
                    expected: counters,
                    desired: counters.counting(windows, counts: counts),
                    ordering: .acquiringAndReleasing
                )
                if exchanged { return decision }
                counters = found
            }
            return nil
        }

        /// Retires the cell when no window needs it at `time`; whether it is retired.
        func retireIfExpired(at time: Int64) -> Bool {
            var counters = self.counters.load(ordering: .acquiring)
            while !counters.isRetired {
                guard counters.isExpired(at: time) else { return false }
                let (exchanged, found) = self.counters.compareExchange(
                    expected: counters,
                    desired: .retired,
                    ordering: .acquiringAndReleasing
                )
                if exchanged { return true }
                counters = found
            }
            return true
        }

        var isRetired: Bool { self.counters.load(ordering: .acquiring).isRetired }
    }

    /// The cells one event loop found, used on that loop only.
    private final class LoopTable {
        var cells: [Key: Cell] = [:]
        var nextSweep = -Double.infinity
    }

    private struct SharedTable {
        var cells: [Key: Cell] = [:]
        var nextSweep = -Double.infinity
    }

    /// How often, in seconds, cells no window needs are dropped.
    static let sweepInterval = 10.0

    private let loops: [ObjectIdentifier: NIOLoopBoundBox<LoopTable>]
    private let table = NIOLockedValueBox(SharedTable())
    private let clock: any GatewayClock

    /// A store for requests on `eventLoopGroup`'s loops (any other loop is served from the shared table), dropping
    /// what is no longer needed by `clock`.
    init(eventLoopGroup: any EventLoopGroup, clock: any GatewayClock) {
        var loops: [ObjectIdentifier: NIOLoopBoundBox<LoopTable>] = [:]
        for eventLoop in eventLoopGroup.makeIterator() {
            loops[ObjectIdentifier(eventLoop)] = .makeBoxSendingValue(LoopTable(), eventLoop: eventLoop)
        }
        self.loops = loops
        self.clock = clock
    }

    /// Counts a request for `key` in `windows` if it fits in each, and says what each window holds. Call on
    /// `eventLoop`, the request's.
    func hit(_ key: Key, windows: [RateLimitWindow], on eventLoop: any EventLoop) -> RateLimitDecision {
        let local = self.loops[ObjectIdentifier(eventLoop)]?.value
        if let local { self.sweepIfDue(local) }
        let cached = local?.cells[key]
        var cell = cached ?? self.sharedCell(key, replacing: nil)
        while true {
            if let decision = cell.hit(windows) {
                if cell !== cached { local?.cells[key] = cell }
                return decision
            }
            cell = self.sharedCell(key, replacing: cell)
        }
    }

    /// How many keys have live counters.
    var count: Int { self.table.withLockedValue { $0.cells.count } }

    /// The live cell of `key` from the shared table: a new one when there is none or it is `stale` (retired).
    private func sharedCell(_ key: Key, replacing stale: Cell?) -> Cell {
        self.table.withLockedValue { table in
            if let cell = table.cells[key], cell !== stale, !cell.isRetired { return cell }
            let cell = Cell()
            table.cells[key] = cell
            return cell
        }
    }

    /// Drops, at most every `sweepInterval` seconds, the cells no window needs from `local` and the shared table.
    private func sweepIfDue(_ local: LoopTable) {
        let now = self.clock.now()
        guard now >= local.nextSweep else { return }
        local.nextSweep = now + Self.sweepInterval
        let second = Int64(now.rounded(.down))
        local.cells = local.cells.filter { !$0.value.retireIfExpired(at: second) }
        self.table.withLockedValue { table in
            guard now >= table.nextSweep else { return }
            table.nextSweep = now + Self.sweepInterval
            table.cells = table.cells.filter { !$0.value.retireIfExpired(at: second) }
        }
    }
}
