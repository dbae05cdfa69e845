import CRabbitMQ
import Foundation

/// One connection to the broker with one channel, through rabbitmq-c. Every call blocks, so a connection belongs
/// to one thread of the bus's own (never an event loop or a Swift concurrency thread). Any error leaves the
/// connection unusable: drop it and open a new one.
final class AMQPConnection {
    /// A message taken from a queue.
    struct Delivery {
        /// The broker's tag for `ack` / `reject`.
        let deliveryTag: UInt64
        /// The message body.
        let body: [UInt8]
        /// The handler attempts that failed before (counted in a header when the message went to its retry queue).
        let failedAttempts: Int
    }

    /// A frame that matters while waiting for publisher confirms.
    enum Confirm: Equatable {
        case ack(UInt64, multiple: Bool)
        case nack(UInt64, multiple: Bool)
    }

    private let state: amqp_connection_state_t
    private let channel: amqp_channel_t = 1

    private init(state: amqp_connection_state_t) {
        self.state = state
    }

    deinit {
        amqp_destroy_connection(self.state)
    }

    /// Connects, logs in and opens the channel. `heartbeat` is in seconds (0: none); calls that wait for the
    /// broker's answer give up after `timeout`.
    static func open(_ configuration: AMQPConfiguration, heartbeat: Int, timeout: Duration) throws -> AMQPConnection {
        guard let state = amqp_new_connection() else { throw AMQPError("connect", "out of memory") }
        let connection = AMQPConnection(state: state)
        guard let socket = amqp_tcp_socket_new(state) else { throw AMQPError("connect", "no socket") }
        var limit = Self.limit(timeout)
        let status = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &limit)
        try Self.check(status, "connect to \(configuration.host):\(configuration.port)")
        try Self.check(amqp_set_rpc_timeout(state, &limit), "set the RPC timeout")
        try connection.check(
            acme_amqp_login_plain(
                state, configuration.virtualHost, Int32(heartbeat), configuration.user, configuration.password),
            "login to virtual host \(configuration.virtualHost) as \(configuration.user)")
        amqp_channel_open(state, connection.channel)
        try connection.check(amqp_get_rpc_reply(state), "channel.open")
        return connection
    }

    /// Closes the channel and the connection politely; errors are ignored (the connection is dropped anyway).
    func close() {
        _ = amqp_channel_close(self.state, self.channel, AMQP_REPLY_SUCCESS)
        _ = amqp_connection_close(self.state, AMQP_REPLY_SUCCESS)
    }

    /// Declares a durable topic exchange.
    func declareTopicExchange(_ name: String) throws {
        acme_amqp_declare_topic_exchange(self.state, self.channel, name)
        try self.check(amqp_get_rpc_reply(self.state), "exchange.declare \(name)")
    }

    /// Declares the durable queue `name`, whose rejected messages go to the durable queue `deadLetterQueue`, and
    /// the durable queue `retryQueue`, whose messages go back to `name` when they expire; binds `name` to
    /// `exchange` with each of `patterns`.
    func declareQueue(
        _ name: String, deadLetterQueue: String, retryQueue: String, boundTo exchange: String, patterns: [String]
    ) throws {
        acme_amqp_declare_queue(self.state, self.channel, deadLetterQueue)
        try self.check(amqp_get_rpc_reply(self.state), "queue.declare \(deadLetterQueue)")
        acme_amqp_declare_dead_lettered_queue(self.state, self.channel, name, deadLetterQueue)
        try self.check(amqp_get_rpc_reply(self.state), "queue.declare \(name)")
        acme_amqp_declare_dead_lettered_queue(self.state, self.channel, retryQueue, name)
        try self.check(amqp_get_rpc_reply(self.state), "queue.declare \(retryQueue)")
        for pattern in patterns {
            acme_amqp_bind_queue(self.state, self.channel, name, exchange, pattern)
            try self.check(amqp_get_rpc_reply(self.state), "queue.bind \(name) to \(exchange) with \(pattern)")
        }
    }

    /// Puts the channel in confirm mode: the broker then acks (or nacks) every publish, numbered from 1.
    func selectConfirms() throws {
        amqp_confirm_select(self.state, self.channel)
        try self.check(amqp_get_rpc_reply(self.state), "confirm.select")
    }

    /// Publishes a persistent JSON message; in confirm mode its delivery tag is the count of publishes so far.
    func publish(exchange: String, routingKey: String, messageID: String, body: [UInt8]) throws {
        let status = body.withUnsafeBytes { bytes in
            acme_amqp_publish_persistent(
                self.state, self.channel, exchange, routingKey, messageID,
                amqp_bytes_t(len: bytes.count, bytes: UnsafeMutableRawPointer(mutating: bytes.baseAddress)))
        }
        try Self.check(status, "basic.publish \(routingKey)")
    }

    /// Publishes `body` (a message of `messageID` and `type`) as a persistent message straight to `queue`, counting
    /// `failedAttempts` in its header and expiring after `delay`: for a retry queue that dead-letters expired
    /// messages back to the consumer's queue.
    func publishRetry(
        queue: String, messageID: String, type: String, failedAttempts: Int, delay: Duration, body: [UInt8]
    ) throws {
        let (seconds, attoseconds) = delay.components
        let expiration = String(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        let status = body.withUnsafeBytes { bytes in
            acme_amqp_publish_retry(
                self.state, self.channel, queue, messageID, type, Int64(failedAttempts), expiration,
                amqp_bytes_t(len: bytes.count, bytes: UnsafeMutableRawPointer(mutating: bytes.baseAddress)))
        }
        try Self.check(status, "basic.publish to \(queue)")
    }

    /// The next publisher confirm, or `nil` when none came within `timeout`.
    ///
    /// - Throws: `AMQPError` when the broker closes the channel or the connection, or the socket fails.
    func nextConfirm(timeout: Duration) throws -> Confirm? {
        var frame = amqp_frame_t()
        var limit = Self.limit(timeout)
        while true {
            let status = amqp_simple_wait_frame_noblock(self.state, &frame, &limit)
            if status == Int32(AMQP_STATUS_TIMEOUT.rawValue) { return nil }
            try Self.check(status, "wait for confirms")
            let summary = acme_amqp_summarize_frame(&frame)
            switch summary.kind {
            case ACME_AMQP_FRAME_ACK: return .ack(summary.delivery_tag, multiple: summary.multiple != 0)
            case ACME_AMQP_FRAME_NACK: return .nack(summary.delivery_tag, multiple: summary.multiple != 0)
            case ACME_AMQP_FRAME_CLOSE: throw AMQPError("wait for confirms", Self.closeReason(summary))
            default: continue
            }
        }
    }

    /// Starts consuming `queue` with manual acks, at most `prefetch` unacknowledged messages at a time.
    func consume(_ queue: String, prefetch: UInt16) throws {
        amqp_basic_qos(self.state, self.channel, 0, prefetch, 0)
        try self.check(amqp_get_rpc_reply(self.state), "basic.qos")
        acme_amqp_consume(self.state, self.channel, queue)
        try self.check(amqp_get_rpc_reply(self.state), "basic.consume \(queue)")
    }

    /// The next delivery to the consumer, or `nil` when none came within `timeout`.
    ///
    /// - Throws: `AMQPError` when the broker closes the channel or the connection (or cancels the consumer), or
    ///   the socket fails.
    func nextDelivery(timeout: Duration) throws -> Delivery? {
        amqp_maybe_release_buffers(self.state)
        var envelope = amqp_envelope_t()
        var limit = Self.limit(timeout)
        let reply = amqp_consume_message(self.state, &envelope, &limit, 0)
        if reply.reply_type == AMQP_RESPONSE_NORMAL {
            defer { amqp_destroy_envelope(&envelope) }
            return Delivery(
                deliveryTag: envelope.delivery_tag, body: Self.bytes(envelope.message.body),
                failedAttempts: Int(acme_amqp_attempts(&envelope)))
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
            reply.library_error == Int32(AMQP_STATUS_TIMEOUT.rawValue)
        {
            return nil
        }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
            reply.library_error == Int32(AMQP_STATUS_UNEXPECTED_STATE.rawValue)
        {
            // A frame other than a delivery: read it to say why the broker ended the consumer.
            var frame = amqp_frame_t()
            try Self.check(amqp_simple_wait_frame(self.state, &frame), "consume")
            let summary = acme_amqp_summarize_frame(&frame)
            let reason = summary.kind == ACME_AMQP_FRAME_CLOSE ? Self.closeReason(summary) : "unexpected frame"
            throw AMQPError("consume", reason)
        }
        try self.check(reply, "consume")
        return nil
    }

    /// Services the socket for up to `timeout` while the consumer expects nothing from the broker (a delivery is
    /// being handled, or waits for its retry): rabbitmq-c sends heartbeats only from inside its calls, and checks
    /// the broker's in every read, so a thread that only waited would have its connection dropped after two
    /// heartbeat intervals. Heartbeat frames are consumed here; other frames are ignored.
    ///
    /// - Throws: `AMQPError` when the broker closes the channel or the connection, its heartbeats stop, or the
    ///   socket fails.
    func keepAlive(for timeout: Duration) throws {
        amqp_maybe_release_buffers(self.state)
        var frame = amqp_frame_t()
        var limit = Self.limit(timeout)
        let status = amqp_simple_wait_frame_noblock(self.state, &frame, &limit)
        if status == Int32(AMQP_STATUS_TIMEOUT.rawValue) { return }
        try Self.check(status, "keep the connection alive")
        let summary = acme_amqp_summarize_frame(&frame)
        if summary.kind == ACME_AMQP_FRAME_CLOSE {
            throw AMQPError("keep the connection alive", Self.closeReason(summary))
        }
    }

    /// Acknowledges a delivery: the broker forgets it.
    func ack(_ deliveryTag: UInt64) throws {
        try Self.check(amqp_basic_ack(self.state, self.channel, deliveryTag, 0), "basic.ack")
    }

    /// Rejects a delivery without requeueing it: the broker moves it to the queue's dead-letter queue.
    func reject(_ deliveryTag: UInt64) throws {
        try Self.check(amqp_basic_nack(self.state, self.channel, deliveryTag, 0, 0), "basic.nack")
    }

    /// Takes one message from `queue` (acknowledged at once), or `nil` when the queue is empty.
    func get(_ queue: String) throws -> [UInt8]? {
        amqp_maybe_release_buffers(self.state)
        let reply = acme_amqp_get(self.state, self.channel, queue)
        try self.check(reply, "basic.get \(queue)")
        guard acme_amqp_is_get_ok(reply) != 0 else { return nil }
        var message = amqp_message_t()
        try self.check(amqp_read_message(self.state, self.channel, &message, 0), "basic.get \(queue)")
        defer { amqp_destroy_message(&message) }
        return Self.bytes(message.body)
    }

    private func check(_ reply: amqp_rpc_reply_t, _ operation: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw AMQPError(operation, String(cString: amqp_error_string2(reply.library_error)))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw AMQPError(operation, Self.closeReason(acme_amqp_summarize_reply(reply)))
        default:
            throw AMQPError(operation, "no reply")
        }
    }

    private static func check(_ status: Int32, _ operation: String) throws {
        guard status == Int32(AMQP_STATUS_OK.rawValue) else {
            throw AMQPError(operation, String(cString: amqp_error_string2(status)))
        }
    }

    private static func closeReason(_ summary: acme_amqp_frame_summary) -> String {
        "closed by the broker: \(summary.reply_code) \(String(decoding: Self.bytes(summary.reply_text), as: UTF8.self))"
    }

    private static func bytes(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard let base = bytes.bytes, bytes.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }

    private static func limit(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
