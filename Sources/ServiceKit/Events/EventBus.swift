/// Carries events between services: `publish` hands an event over; each subscription's handler gets every event
/// whose type matches one of its patterns, at least once (a handler that throws gets the event again, so handlers
/// must tolerate redeliveries, for example by the event's `id`).
///
/// A consuming service has one subscription (one queue on a broker), bound with every pattern it needs, and its
/// handler dispatches by `event.type`: events arrive in one order, and a type the handler does not know (a new
/// one on a wildcard binding) is ignored by returning, which acknowledges it.
///
/// Patterns are AMQP topic patterns on the dotted type: `user.registered`, `order.*` (one word), `#` (anything).
public protocol EventBus: Sendable {
    /// Hands `event` to the bus; returns once the bus has it.
    func publish(_ event: EventEnvelope) async throws

    /// Hands `events` to the bus in their order, without waiting for one before sending the next where the bus
    /// can; returns each event's outcome, in the same order (a failed one may be published again).
    func publish(_ events: [EventEnvelope]) async -> [Result<Void, any Error>]

    /// Calls `handler` for each event matching any of `patterns`, one event at a time. `name` identifies the
    /// subscription (a queue name on a broker), so that the instances of one service share its events.
    func subscribe(
        _ patterns: [String], name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws

    /// Stops delivering (a handler running is finished first) and releases what the bus holds; call after the
    /// services using it have stopped.
    func close() async
}

extension EventBus {
    /// Publishes `events` one after the other, each once the bus has the one before.
    public func publish(_ events: [EventEnvelope]) async -> [Result<Void, any Error>] {
        var outcomes: [Result<Void, any Error>] = []
        for event in events {
            do {
                try await self.publish(event)
                outcomes.append(.success(()))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// Calls `handler` for each event matching `pattern`: a subscription with one pattern.
    public func subscribe(
        _ pattern: String, name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws {
        try await self.subscribe([pattern], name: name, handler: handler)
    }
}

/// Matching of AMQP topic patterns against dotted event types.
public enum TopicPattern {
    /// Whether `type` matches `pattern`: words separated by dots, `*` is one word, `#` is zero or more.
    public static func matches(_ pattern: String, _ type: String) -> Bool {
        Self.match(pattern.split(separator: ".")[...], type.split(separator: ".")[...])
    }

    /// Whether `type` matches any of `patterns`.
    public static func matches(any patterns: [String], _ type: String) -> Bool {
        patterns.contains { Self.matches($0, type) }
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ words: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return words.isEmpty }
        if first == "#" {
            let rest = pattern.dropFirst()
            return (0...words.count).contains { Self.match(rest, words.dropFirst($0)) }
        }
        guard let word = words.first, first == "*" || first == word else { return false }
        return Self.match(pattern.dropFirst(), words.dropFirst())
    }
}
