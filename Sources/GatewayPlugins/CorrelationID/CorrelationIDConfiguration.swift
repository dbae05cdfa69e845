import Gateway

/// Kong's `correlation-id` schema.
public struct CorrelationIDConfiguration: PluginConfiguration {
    public enum Generator: String, Sendable {
        /// A random UUID per request.
        case uuid
        /// A random UUID per plugin instance and a counter: cheaper, still unique (Kong's default).
        case uuidCounter = "uuid#counter"
    }

    /// The header that carries the ID (`Kong-Request-ID`).
    public var headerName: String
    public var generator: Generator
    /// Also send the ID back to the client.
    public var echoDownstream: Bool

    public init(from reader: inout PluginConfigReader) {
        self.headerName = reader.string("header_name", default: "Kong-Request-ID")
        if self.headerName.isEmpty { reader.fail("header_name", "expected a header name, got \"\"") }
        let generator = reader.string("generator", default: Generator.uuidCounter.rawValue)
        if let known = Generator(rawValue: generator) {
            self.generator = known
        } else {
            reader.fail(
                "generator",
                "expected \"uuid\" or \"uuid#counter\" (\"tracker\" is not supported yet), got \"\(generator)\""
            )
            self.generator = .uuidCounter
        }
        self.echoDownstream = reader.bool("echo_downstream", default: false)
    }
}
