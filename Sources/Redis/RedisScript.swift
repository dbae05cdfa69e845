import COpenSSL
import NIOCore

/// A Lua script for ``RedisClient/run(_:keys:arguments:on:)``, which calls it by its SHA-1 digest (`EVALSHA`) and
/// falls back to sending its source (`EVAL`, which also caches it in Redis) when Redis answers `NOSCRIPT`: after a
/// restart, a failover or `SCRIPT FLUSH`.
///
/// Make scripts once (a `static let`) and reuse them: the digest is computed when the script is made.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The SHA-1 digest of the source in lowercase hexadecimal, by which Redis caches the script.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        let bytes = Array(source.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let digested = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha1(), nil)
        precondition(digested == 1 && length == 20, "OpenSSL could not compute a SHA-1 digest")
        self.sha1 = digest.prefix(Int(length)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// `EVALSHA sha1 numkeys keys... arguments...`, or `EVAL source ...` with `byDigest` false.
    func command(byDigest: Bool, keys: [RedisArgument], arguments: [RedisArgument]) -> RedisCommand {
        let script = byDigest ? RedisArgument(self.sha1) : RedisArgument(self.source)
        return RedisCommand(
            byDigest ? "EVALSHA" : "EVAL", arguments: [script, RedisArgument(keys.count)] + keys + arguments)
    }
}

extension RedisClient {
    /// Runs `script` with `keys` (`KEYS[1]`...) and `arguments` (`ARGV[1]`...) on one of `eventLoop`'s connections:
    /// `EVALSHA`, then `EVAL` if Redis does not have the script. The future completes on `eventLoop`; a script error
    /// fails it with ``RedisError/Code/server``.
    public func run(
        _ script: RedisScript,
        keys: [RedisArgument] = [],
        arguments: [RedisArgument] = [],
        on eventLoop: EventLoop
    ) -> EventLoopFuture<RedisReply> {
        let byDigest = script.command(byDigest: true, keys: keys, arguments: arguments)
        return self.send(byDigest, on: eventLoop).flatMapError { error in
            guard let error = error as? RedisError, error.code == .server, error.prefix == "NOSCRIPT" else {
                return eventLoop.makeFailedFuture(error)
            }
            return self.send(script.command(byDigest: false, keys: keys, arguments: arguments), on: eventLoop)
        }
    }

    /// Runs `script` with `keys` (`KEYS[1]`...) and `arguments` (`ARGV[1]`...): `EVALSHA`, then `EVAL` if Redis does
    /// not have the script. A script error throws ``RedisError`` with code ``RedisError/Code/server``.
    @discardableResult
    public func run(
        _ script: RedisScript,
        keys: [RedisArgument] = [],
        arguments: [RedisArgument] = []
    ) async throws -> RedisReply {
        try await self.run(script, keys: keys, arguments: arguments, on: self.eventLoopGroup.any()).get()
    }
}
