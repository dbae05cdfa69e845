import Atomics
import NIOCore

/// Counters for the admin API's `/status`, as Kong's `server` block: connections accepted and active, and
/// requests handled.
public final class ConnectionStatistics: Sendable {
    private let accepted = ManagedAtomic<Int>(0)
    private let active = ManagedAtomic<Int>(0)
    private let requests = ManagedAtomic<Int>(0)

    public init() {}

    func connectionOpened(_ channel: Channel) {
        self.accepted.wrappingIncrement(ordering: .relaxed)
        self.active.wrappingIncrement(ordering: .relaxed)
        channel.closeFuture.whenComplete { _ in
            self.active.wrappingDecrement(ordering: .relaxed)
        }
    }

    func requestReceived() {
        self.requests.wrappingIncrement(ordering: .relaxed)
    }

    public var connectionsAccepted: Int { self.accepted.load(ordering: .relaxed) }
    public var connectionsActive: Int { self.active.load(ordering: .relaxed) }
    public var totalRequests: Int { self.requests.load(ordering: .relaxed) }
}
