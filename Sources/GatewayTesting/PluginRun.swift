import Gateway
import NIOHTTP1

/// What a chain did to one request, as `PluginHarness.run` observed it.
public struct PluginRun: Sendable {
    /// The request as it went upstream; nil when a plugin answered instead.
    public struct UpstreamRequest: Sendable {
        public let method: HTTPMethod
        public let path: String
        public let query: String?
        public let headers: HTTPHeaders
        /// The body parts that went upstream.
        public let body: String
    }

    /// The request as it went upstream; nil when a plugin (or a failed deferred decision) answered instead.
    public let upstreamRequest: UpstreamRequest?
    /// What the client got: the plugin's answer or the upstream's response, after the response phases (and the
    /// response body phases, when one asked for the body).
    public let response: TestResponse
    /// How the plugins changed the request headers that go upstream.
    public let upstreamHeaderChanges: HeaderChanges
    /// How the plugins changed the response headers the client gets (from the upstream's, or from the reply the
    /// answering plugin made).
    public let clientHeaderChanges: HeaderChanges
    /// The consumer the request ended up authenticated as, and by which credential.
    public let consumer: Consumer?
    public let credentialIdentifier: String?
    /// What the plugins kept in the request's context.
    public let context: PluginContext

    /// Whether a plugin answered the request instead of the upstream.
    public var wasAnswered: Bool { self.upstreamRequest == nil }
}

/// Header fields added and removed, names lowercased; a changed value is a removal and an addition.
public struct HeaderChanges: Sendable, Equatable {
    public struct Field: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name.lowercased()
            self.value = value
        }

        public var description: String { "\(self.name): \(self.value)" }
    }

    public let added: [Field]
    public let removed: [Field]

    /// The changes from `before` to `after`, in header order.
    public init(from before: HTTPHeaders, to after: HTTPHeaders) {
        let beforeFields = before.map { Field($0.name, $0.value) }
        let afterFields = after.map { Field($0.name, $0.value) }
        self.added = Self.subtracting(beforeFields, from: afterFields)
        self.removed = Self.subtracting(afterFields, from: beforeFields)
    }

    /// The value added for `name`, if any.
    public func addedValue(_ name: String) -> String? {
        self.added.first { $0.name == name.lowercased() }?.value
    }

    /// Whether a field called `name` was removed (or replaced).
    public func removed(_ name: String) -> Bool {
        self.removed.contains { $0.name == name.lowercased() }
    }

    public var isEmpty: Bool { self.added.isEmpty && self.removed.isEmpty }

    /// `fields` without one occurrence of each of `others`.
    private static func subtracting(_ others: [Field], from fields: [Field]) -> [Field] {
        var remaining = Dictionary(others.map { ($0, 1) }, uniquingKeysWith: +)
        return fields.filter { field in
            guard let count = remaining[field], count > 0 else { return true }
            remaining[field] = count - 1
            return false
        }
    }
}
