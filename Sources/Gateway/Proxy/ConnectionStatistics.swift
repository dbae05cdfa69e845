import Atomics
import NIOCore

/// Counters for the admin API's `/status`, as Kong's `server` block: connections accepted, active and refused
/// (beyond the connection limit), and requests handled.
public final class ConnectionStatistics: Sendable {
    private let accepted = ManagedAtomic<Int>(0)
    private let active = ManagedAtomic<Int>(0)
    private let refused = ManagedAtomic<Int>(0)
    private let requests = ManagedAtomic<Int>(0)

    public init() {}

    /// Counts a newly accepted connection as active, unless `limit` connections already are: then it is counted
    /// as refused instead, and false returned.
    func connectionOpened(_ channel: Channel, limit: Int) -> Bool {
        self.accepted.wrappingIncrement(ordering: .relaxed)
        guard self.active.wrappingIncrementThenLoad(ordering: .relaxed) <= limit else {
            self.active.wrappingDecrement(ordering: .relaxed)
            self.refused.wrappingIncrement(ordering: .relaxed)
            return false
        }
        channel.closeFuture.whenComplete { _ in
            self.active.wrappingDecrement(ordering: .relaxed)
        }
        return true
    }

    func requestReceived() {
        self.requests.wrappingIncrement(ordering: .relaxed)
    }

    public var connectionsAccepted: Int { self.accepted.load(ordering: .relaxed) }
    public var connectionsActive: Int { self.active.load(ordering: .relaxed) }
    /// Connections accepted beyond the connection limit and closed at once.
    public var connectionsRefused: Int { self.refused.load(ordering: .relaxed) }
    public var totalRequests: Int { self.requests.load(ordering: .relaxed) }
}
