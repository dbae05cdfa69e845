/// A key of `PluginContext`: a type names the slot and fixes the type of its value.
///
/// ```swift
/// enum AuthenticatedToken: PluginContextKey { typealias Value = JWTToken }
/// request.context[AuthenticatedToken.self] = token
/// ```
public protocol PluginContextKey {
    associatedtype Value: Sendable
}

/// Values plugins keep for one request (Kong's `kong.ctx`): what a plugin's access phase learned for its response
/// or log phase, or what one plugin tells another. Keys are types, so two plugins never collide by accident.
public struct PluginContext: Sendable {
    @usableFromInline var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// Inlinable, so a plugin's use is specialised for its key in its own module (no generic lookups per request).
    @inlinable
    public subscript<Key: PluginContextKey>(_ key: Key.Type) -> Key.Value? {
        get { self.values[ObjectIdentifier(key)] as? Key.Value }
        set { self.values[ObjectIdentifier(key)] = newValue }
    }

    public var isEmpty: Bool { self.values.isEmpty }
}
