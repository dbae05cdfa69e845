import Logging

/// Which event bus a service uses, from `EVENT_BUS`: `memory` (the default, `InProcessEventBus`) or a RabbitMQ
/// broker, `amqp://user:pass@host:port/vhost` (`RabbitMQEventBus`). How the broker's bus retries a failing handler
/// comes from `EVENT_BUS_MAX_ATTEMPTS` (attempts in all, default 8), `EVENT_BUS_RETRY_INITIAL_DELAY_MS` (the first
/// pause, default 500) and `EVENT_BUS_RETRY_MAX_DELAY_MS` (the longest pause, default 30000): exponential backoff
/// with jitter (`RetryPolicy`). The in-process bus keeps its own quick retries
/// (`RetryPolicy.inProcessEventHandlers`).
public enum EventBusConfiguration: Sendable, Hashable {
    /// The in-process bus.
    case memory
    /// The RabbitMQ broker, with the handlers' retries.
    case amqp(AMQPConfiguration)

    /// The configuration from `EVENT_BUS` and the `EVENT_BUS_...` retry settings.
    ///
    /// - Throws: `ServiceConfigurationError` naming the variable for anything but `memory` or an `amqp://` URL in
    ///   `EVENT_BUS`, or a retry setting that is not a positive whole number in range (the longest pause below the
    ///   first); the retry settings are checked whichever the bus.
    public static func fromEnvironment(_ environment: [String: String]) throws -> EventBusConfiguration {
        let retry = try Self.retry(fromEnvironment: environment)
        switch environment["EVENT_BUS"] {
        case nil, "", "memory":
            return .memory
        case let url? where url.hasPrefix("amqp:"):
            var configuration: AMQPConfiguration
            do {
                configuration = try AMQPConfiguration(url: url)
            } catch {
                throw ServiceConfigurationError("EVENT_BUS: \(error)")
            }
            configuration.retry = retry
            return .amqp(configuration)
        case let other?:
            throw ServiceConfigurationError(
                "EVENT_BUS: expected memory or amqp://user:pass@host:port/vhost, got \"\(other)\"")
        }
    }

    private static func retry(fromEnvironment environment: [String: String]) throws -> RetryPolicy {
        let standard = RetryPolicy.eventHandlers
        let attempts = try Self.positive(
            "EVENT_BUS_MAX_ATTEMPTS", in: environment, expected: "a whole number of attempts from 1 to 1000",
            upTo: 1000)
        let initial = try Self.positive(
            "EVENT_BUS_RETRY_INITIAL_DELAY_MS", in: environment, expected: "a positive number of milliseconds",
            upTo: 86_400_000)
        let maximum = try Self.positive(
            "EVENT_BUS_RETRY_MAX_DELAY_MS", in: environment, expected: "a positive number of milliseconds",
            upTo: 86_400_000)
        let policy = RetryPolicy(
            maximumAttempts: attempts ?? standard.maximumAttempts,
            initialDelay: initial.map { .milliseconds($0) } ?? standard.initialDelay,
            maximumDelay: maximum.map { .milliseconds($0) } ?? standard.maximumDelay)
        guard policy.maximumDelay >= policy.initialDelay else {
            throw ServiceConfigurationError(
                "EVENT_BUS_RETRY_MAX_DELAY_MS: expected at least the first pause (EVENT_BUS_RETRY_INITIAL_DELAY_MS, "
                    + "\(Self.milliseconds(policy.initialDelay)) ms), got \(Self.milliseconds(policy.maximumDelay)) ms")
        }
        return policy
    }

    /// The whole number in `name`, from 1 to `limit`; `nil` when unset or empty.
    private static func positive(
        _ name: String, in environment: [String: String], expected: String, upTo limit: Int
    ) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text), (1...limit).contains(value) else {
            throw ServiceConfigurationError("\(name): expected \(expected), got \"\(text)\"")
        }
        return value
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
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

extension RetryPolicy {
    /// How the buses retry a failing event handler unless configured otherwise: 8 attempts, the first pause about
    /// 500 ms, doubling up to 30 s, with jitter (about a minute in all), so that a dependency that is down for a
    /// while (a database restarting, the user service redeploying) does not send events to the dead-letter queue.
    public static let eventHandlers = RetryPolicy(
        maximumAttempts: 8, initialDelay: .milliseconds(500), maximumDelay: .seconds(30))

    /// The in-process bus's retries: 8 attempts, 100 ms doubling up to 30 s, with jitter (its events never leave
    /// the process, so there is no broker or dead-letter queue to wait for).
    public static let inProcessEventHandlers = RetryPolicy(
        maximumAttempts: 8, initialDelay: .milliseconds(100), maximumDelay: .seconds(30))
}
