/// A failure talking to the RabbitMQ broker: what was being done and what went wrong (rabbitmq-c's error string,
/// or the broker's reply code and text).
public struct AMQPError: Error, Sendable, CustomStringConvertible {
    /// The operation, like `connect` or `queue.declare`.
    public let operation: String
    /// What went wrong.
    public let reason: String

    /// An error in `operation` for `reason`.
    public init(_ operation: String, _ reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "AMQP \(self.operation): \(self.reason)" }
}
