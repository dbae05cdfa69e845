import Atomics
import NIOConcurrencyHelpers

/// The addresses a target is reached at: its IP literal, or the addresses its host name resolved to (replaced as
/// the name is resolved again). Readers on the event loops keep a copy and compare `version` to see a change.
final class TargetAddresses: Sendable {
    /// The outcome of the last resolution of a name.
    enum Resolution: Sendable, Equatable {
        /// An IP literal: nothing to resolve.
        case literal
        case pending
        case resolved(ttl: Int)
        case failed(String)
    }

    let target: Target
    /// Whether the target names a host (resolved through DNS) rather than an IP.
    let isName: Bool
    private let changes = ManagedAtomic(0)
    private let nonEmpty: ManagedAtomic<Bool>
    private let state: NIOLockedValueBox<(addresses: [String], resolution: Resolution)>

    init(target: Target) {
        self.target = target
        self.isName = !HostSyntax.isIPv4(target.host[...]) && !HostSyntax.isIPv6(target.host[...])
        self.nonEmpty = ManagedAtomic(!self.isName)
        self.state = NIOLockedValueBox(self.isName ? ([], .pending) : ([target.host], .literal))
    }

    /// Increases every time the addresses change.
    var version: Int { self.changes.load(ordering: .acquiring) }

    var hasAddresses: Bool { self.nonEmpty.load(ordering: .relaxed) }

    var current: (addresses: [String], resolution: Resolution) { self.state.withLockedValue { $0 } }

    /// Records a resolution; the addresses are kept when it failed (stale answers beat none).
    func update(_ addresses: [String]?, resolution: Resolution) {
        self.state.withLockedValue { state in
            if let addresses { state.addresses = addresses }
            state.resolution = resolution
            self.nonEmpty.store(!state.addresses.isEmpty, ordering: .relaxed)
        }
        self.changes.wrappingIncrement(ordering: .releasing)
    }
}
