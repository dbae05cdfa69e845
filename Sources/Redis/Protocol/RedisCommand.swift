/// A Redis command and its arguments, ready for ``RedisClient/send(_:on:)``.
///
/// ```swift
/// RedisCommand("SET", "greeting", "hello", "EX", 60)
/// RedisCommand("HSET", arguments: [key] + fields.flatMap { [RedisArgument($0.key), RedisArgument($0.value)] })
/// ```
///
/// The arguments' bytes are kept in one buffer, which hiredis' `redisFormatCommandArgv` turns into the
/// command's bytes on the wire.
public struct RedisCommand: Sendable, Hashable {
    /// Every argument's bytes, the command's name first, one after the other.
    let bytes: [UInt8]
    /// How many of `bytes` each argument has, in order.
    let lengths: [Int]

    /// The command `name` (`GET`, `SET`, `EVALSHA`, ...) with `arguments`.
    public init(_ name: String, _ arguments: RedisArgument...) {
        self.init(name, arguments: arguments)
    }

    /// The command `name` (`GET`, `SET`, `EVALSHA`, ...) with `arguments`.
    public init(_ name: String, arguments: [RedisArgument]) {
        var bytes = Array(name.utf8)
        var lengths = [bytes.count]
        lengths.reserveCapacity(arguments.count + 1)
        for argument in arguments {
            lengths.append(argument.append(to: &bytes))
        }
        self.bytes = bytes
        self.lengths = lengths
    }

    /// The command's name, as given.
    public var name: String {
        String(decoding: self.bytes.prefix(self.lengths[0]), as: UTF8.self)
    }
}
