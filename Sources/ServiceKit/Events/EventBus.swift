/// Carries events between services: `publish` hands an event over; each subscription's handler gets every event
/// whose type matches its pattern, at least once (a handler that throws gets the event again, so handlers must
/// tolerate redeliveries, for example by the event's `id`).
///
/// Patterns are AMQP topic patterns on the dotted type: `user.registered`, `order.*` (one word), `#` (anything).
public protocol EventBus: Sendable {
    /// Hands `event` to the bus; returns once the bus has it.
    func publish(_ event: EventEnvelope) async throws

    /// Calls `handler` for each event matching `pattern`. `name` identifies the subscription (a queue name on a
    /// broker), so that the instances of one service share its events.
    func subscribe(
        _ pattern: String, name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws

    /// Stops delivering (a handler running is finished first) and releases what the bus holds; call after the
    /// services using it have stopped.
    func close() async
}

/// Matching of AMQP topic patterns against dotted event types.
public enum TopicPattern {
    /// Whether `type` matches `pattern`: words separated by dots, `*` is one word, `#` is zero or more.
    public static func matches(_ pattern: String, _ type: String) -> Bool {
        Self.match(pattern.split(separator: ".")[...], type.split(separator: ".")[...])
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
