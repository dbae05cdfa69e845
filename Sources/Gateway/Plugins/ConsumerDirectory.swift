/// The consumers of `plugins.json`, for plugins to find them: by username or custom id (an `anonymous` setting
/// names one), and each plugin's credentials.
public struct ConsumerDirectory: Sendable {
    /// One credential object of a consumer, for the plugin it is listed under.
    public struct Credential: Sendable {
        public let consumer: Consumer
        public let credential: JSONValue
        /// The credential's `id` when it has one, else `<username>:<plugin>:<n>` (n counting from 1): what
        /// `X-Credential-Identifier` carries.
        public let identifier: String
    }

    private let consumers: [Consumer]

    public init(_ consumers: [Consumer]) {
        self.consumers = consumers
    }

    /// The consumer whose username or custom id is `name`.
    public func consumer(named name: String) -> Consumer? {
        self.consumers.first { $0.username == name } ?? self.consumers.first { $0.customID == name }
    }

    /// Every consumer's credentials for the plugin `plugin`, in file order.
    public func credentials(of plugin: String) -> [Credential] {
        self.consumers.flatMap { consumer in
            (consumer.credentials[plugin] ?? []).enumerated().map { index, credential in
                var identifier = "\(consumer.username):\(plugin):\(index + 1)"
                if case .string(let id)? = credential["id"] { identifier = id }
                return Credential(consumer: consumer, credential: credential, identifier: identifier)
            }
        }
    }
}
