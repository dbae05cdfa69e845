/// Which event bus a service uses, from `EVENT_BUS`: `memory` (the default, `InProcessEventBus`); a broker
/// (`amqp://...`) is refused until a service needs one across processes.
public enum EventBusConfiguration: Sendable, Hashable {
    /// The in-process bus.
    case memory

    /// The configuration from `EVENT_BUS`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `EVENT_BUS` for anything but `memory`.
    public static func fromEnvironment(_ environment: [String: String]) throws -> EventBusConfiguration {
        switch environment["EVENT_BUS"] {
        case nil, "", "memory":
            return .memory
        case let other?:
            let shown = other.hasPrefix("amqp") ? "an AMQP broker" : "\"\(other)\""
            throw ServiceConfigurationError("EVENT_BUS: expected memory (\(shown) is not supported yet)")
        }
    }
}
