import Logging

/// Which event bus a service uses, from `EVENT_BUS`: `memory` (the default, `InProcessEventBus`) or a RabbitMQ
/// broker, `amqp://user:pass@host:port/vhost` (`RabbitMQEventBus`).
public enum EventBusConfiguration: Sendable, Hashable {
    /// The in-process bus.
    case memory
    /// The RabbitMQ broker.
    case amqp(AMQPConfiguration)

    /// The configuration from `EVENT_BUS`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `EVENT_BUS` for anything but `memory` or an `amqp://` URL.
    public static func fromEnvironment(_ environment: [String: String]) throws -> EventBusConfiguration {
        switch environment["EVENT_BUS"] {
        case nil, "", "memory":
            return .memory
        case let url? where url.hasPrefix("amqp:"):
            do {
                return .amqp(try AMQPConfiguration(url: url))
            } catch {
                throw ServiceConfigurationError("EVENT_BUS: \(error)")
            }
        case let other?:
            throw ServiceConfigurationError(
                "EVENT_BUS: expected memory or amqp://user:pass@host:port/vhost, got \"\(other)\"")
        }
    }

    /// A new bus of this kind; close it after the services using it have stopped.
    public func makeBus(logger: Logger) -> any EventBus {
        switch self {
        case .memory: return InProcessEventBus(logger: logger)
        case .amqp(let configuration): return RabbitMQEventBus(configuration: configuration, logger: logger)
        }
    }

    /// The bus a service process uses: `shared` (the one `acme up` gives every service) when there is one, else a
    /// new bus of this kind that the process owns and closes; `own` is that new bus, `nil` when shared.
    public func sharedOrOwn(_ shared: (any EventBus)?, logger: Logger) -> (bus: any EventBus, own: (any EventBus)?) {
        if let shared { return (shared, nil) }
        let own = self.makeBus(logger: logger)
        return (own, own)
    }
}
