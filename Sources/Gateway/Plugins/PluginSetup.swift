import Logging

/// What a plugin may use when it is made: the consumers, the clock, and a logger.
public struct PluginSetup: Sendable {
    public let consumers: ConsumerDirectory
    public let clock: any GatewayClock
    /// For what goes wrong while serving (a key set that cannot be fetched, a store that is down).
    public let logger: Logger

    public init(
        consumers: ConsumerDirectory = ConsumerDirectory([]),
        clock: any GatewayClock = SystemClock(),
        logger: Logger = Logger(label: "acme.gateway.plugins")
    ) {
        self.consumers = consumers
        self.clock = clock
        self.logger = logger
    }
}
