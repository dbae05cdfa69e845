import NIOConcurrencyHelpers

/// At most `maximum` connections lent at once, idle ones kept for the next caller. A caller beyond the maximum
/// waits (suspended, in arrival order) for one to come back. A lease without a connection is a free slot: the
/// caller opens a connection itself, off the event loops.
final class MySQLConnectionPool: Sendable {
    private typealias Waiter = CheckedContinuation<MySQLConnection?, Never>

    private struct State {
        var idle: [MySQLConnection] = []
        var leased = 0
        var waiters: [Waiter] = []
    }

    let maximum: Int
    private let state = NIOLockedValueBox(State())

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// An idle connection, or `nil` for a slot to open one in.
    func lease() async -> MySQLConnection? {
        await withCheckedContinuation { (continuation: CheckedContinuation<MySQLConnection?, Never>) in
            let lease: MySQLConnection?? = self.state.withLockedValue { state in
                if let connection = state.idle.popLast() {
                    state.leased += 1
                    return .some(connection)
                }
                if state.leased < self.maximum {
                    state.leased += 1
                    return .some(nil)
                }
                state.waiters.append(continuation)
                return .none
            }
            if let lease { continuation.resume(returning: lease) }
        }
    }

    /// Gives back a lease: the connection is kept unless it broke (or there is none), and the slot goes to the
    /// first waiter. A broken connection means the server may have gone away, so the idle ones are dropped too:
    /// the next callers open fresh connections instead of finding stale ones. Returns the connections to close.
    func giveBack(_ connection: MySQLConnection?) -> [MySQLConnection] {
        let healthy = connection.flatMap { $0.isBroken ? nil : $0 }
        let (waiter, stale) = self.state.withLockedValue { state -> (Waiter?, [MySQLConnection]) in
            var stale: [MySQLConnection] = []
            if let connection, healthy == nil {
                stale = state.idle + [connection]
                state.idle = []
            }
            guard state.waiters.isEmpty else { return (state.waiters.removeFirst(), stale) }
            state.leased -= 1
            if let healthy { state.idle.append(healthy) }
            return (nil, stale)
        }
        waiter?.resume(returning: healthy)
        return stale
    }

    /// Drops the idle connections (at close).
    func drain() -> [MySQLConnection] {
        self.state.withLockedValue { state in
            defer { state.idle = [] }
            return state.idle
        }
    }
}
