import NIOConcurrencyHelpers

/// A long-lived resource that plugin instances share: a connection pool, a table of counters. Made once per key by
/// ``SharedResources/shared(_:make:)``, kept across configuration reloads, and closed when its owner (the gateway,
/// or a `PluginHarness`) stops.
public protocol SharedResource: AnyObject, Sendable {
    /// Releases what the resource holds (closes connections). Called once its owner stopped serving requests.
    func close() async
}

extension SharedResource {
    /// Resources that hold nothing to release need not write `close`.
    public func close() async {}
}

/// The shared resources of one gateway: plugins ask for one by key when they are made, and get the instance an
/// earlier plugin (of this configuration or an older one) made, or a new one. The gateway owns the registry for as
/// long as it runs and closes every resource when it stops.
///
/// ```swift
/// let client = setup.resources.shared(redisConfiguration) {
///     RedisStore(configuration: redisConfiguration, eventLoopGroup: setup.eventLoopGroup)
/// }
/// ```
public final class SharedResources: Sendable {
    /// A resource's type and its key: two types never share an instance by accident.
    private struct Key: Hashable, @unchecked Sendable {
        let type: ObjectIdentifier
        /// Only ever made from a `Hashable & Sendable` value.
        let value: AnyHashable
    }

    private struct State {
        var resources: [Key: any SharedResource] = [:]
        /// The keys in the order their resources were made, so they are closed the other way round.
        var order: [Key] = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The resource of type `Resource` kept under `key`, made by `make` when there is none yet. `make` runs under
    /// the registry's lock: it should be quick (no I/O) and must not ask the registry for another resource.
    public func shared<Resource: SharedResource>(
        _ key: some Hashable & Sendable,
        make: () throws -> Resource
    ) rethrows -> Resource {
        let key = Key(type: ObjectIdentifier(Resource.self), value: AnyHashable(key))
        return try self.state.withLockedValue { state in
            if let existing = state.resources[key] {
                // The key holds the type, so the instance under it is a `Resource`.
                return existing as! Resource
            }
            let made = try make()
            state.resources[key] = made
            state.order.append(key)
            return made
        }
    }

    /// How many resources the registry holds.
    public var count: Int { self.state.withLockedValue { $0.resources.count } }

    /// Closes every resource, the newest first, and forgets them: a later `shared` makes a new one.
    public func close() async {
        let resources = self.state.withLockedValue { state in
            defer { state = State() }
            return state.order.reversed().compactMap { state.resources[$0] }
        }
        for resource in resources { await resource.close() }
    }
}
