import NIOCore

/// One argument of a Redis command: a key, a value, a number. Binary-safe: any bytes, including `\0` and `\r\n`.
///
/// String and integer literals are arguments: `RedisCommand("EXPIRE", "session:1", 60)`.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes([UInt8])
        case buffer(ByteBuffer)
    }

    let storage: Storage

    /// The UTF-8 bytes of `string`.
    public init(_ string: some StringProtocol) {
        self.storage = .string(String(string))
    }

    /// These bytes, as they are.
    public init(_ bytes: some Sequence<UInt8>) {
        self.storage = .bytes(Array(bytes))
    }

    /// The readable bytes of `buffer`.
    public init(_ buffer: ByteBuffer) {
        self.storage = .buffer(buffer)
    }

    /// The decimal digits of `integer`, which is how Redis takes numbers (`EXPIRE key 60`, `INCRBY key -3`).
    public init(_ integer: some BinaryInteger) {
        self.storage = .string(String(integer))
    }

    public init(stringLiteral value: String) {
        self.storage = .string(value)
    }

    public init(integerLiteral value: Int) {
        self.storage = .string(String(value))
    }

    /// Appends this argument's bytes to `bytes`, and returns how many it appended.
    func append(to bytes: inout [UInt8]) -> Int {
        switch self.storage {
        case .string(let string):
            let before = bytes.count
            bytes.append(contentsOf: string.utf8)
            return bytes.count - before
        case .bytes(let argument):
            bytes.append(contentsOf: argument)
            return argument.count
        case .buffer(let buffer):
            bytes.append(contentsOf: buffer.readableBytesView)
            return buffer.readableBytes
        }
    }
}
