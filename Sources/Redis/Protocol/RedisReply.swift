import NIOCore

/// One reply from Redis (RESP2, as hiredis 0.14 parses it).
///
/// A top-level error reply never arrives as a value: ``RedisClient`` throws it as a ``RedisError`` with code
/// ``RedisError/Code/server``. ``error(_:)`` appears inside arrays only, for instance in `EXEC`'s results or a
/// Lua script's table.
public enum RedisReply: Sendable, Hashable {
    /// A simple string: `+OK`, `+PONG`, `+QUEUED`.
    case status(String)
    /// An error nested in an array, with Redis' message (`ERR ...`, `WRONGTYPE ...`).
    case error(String)
    /// A signed 64-bit integer: `INCR`, `DEL`, `EXISTS`.
    case integer(Int)
    /// A bulk string: binary-safe bytes, exactly as stored.
    case bulkString(ByteBuffer)
    /// A null bulk string or null array: `GET` of a missing key, `BLPOP` that timed out.
    case null
    /// An array of replies, which may nest: `LRANGE`, `EXEC`, `SCAN`.
    case array([RedisReply])
}

extension RedisReply {
    /// A bulk string's bytes or a status' text as UTF-8 (invalid UTF-8 is repaired); nil for other replies.
    public var string: String? {
        switch self {
        case .status(let text): text
        case .bulkString(let buffer): String(buffer: buffer)
        default: nil
        }
    }

    /// A bulk string's bytes; nil for other replies.
    public var bytes: [UInt8]? {
        guard case .bulkString(let buffer) = self else { return nil }
        return Array(buffer.readableBytesView)
    }

    /// An integer reply's value, or a bulk string holding a decimal integer (what `GET` of a counter returns);
    /// nil otherwise.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulkString(let buffer): Int(String(buffer: buffer))
        default: nil
        }
    }

    /// An array reply's elements; nil for other replies.
    public var elements: [RedisReply]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// Whether this is a null bulk string or null array.
    public var isNull: Bool { self == .null }
}
