import CHiredis
import NIOCore

// Every call into hiredis is in this file: its reply reader and its command formatter. hiredis never does I/O
// here; NIO reads and writes the bytes.

/// hiredis' reply parser (`redisReader`): fed bytes as they arrive, it hands out complete replies.
/// Not thread-safe; one per connection.
final class HiredisReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        guard let reader = redisReaderCreate() else { fatalError("hiredis: redisReaderCreate is out of memory") }
        self.reader = reader
    }

    deinit {
        redisReaderFree(self.reader)
    }

    /// Hands `bytes` to the reader, which copies them into its own buffer.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let status = redisReaderFeed(self.reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        guard status == REDIS_OK else { throw self.error() }
    }

    /// The next complete reply, or nil until more bytes arrive. After a thrown error the reader is unusable
    /// (hiredis keeps its error), as is the connection it reads.
    func nextReply() throws -> RedisReply? {
        var object: UnsafeMutableRawPointer?
        guard redisReaderGetReply(self.reader, &object) == REDIS_OK else { throw self.error() }
        guard let object else { return nil }
        let reply = object.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(reply) }
        return try Self.convert(reply)
    }

    private func error() -> RedisError {
        let message = withUnsafeBytes(of: &self.reader.pointee.errstr) { errstr in
            String(decoding: errstr.prefix { $0 != 0 }, as: UTF8.self)
        }
        return .protocolError(message: message.isEmpty ? "hiredis could not parse the reply" : message)
    }

    /// Copies hiredis' reply tree into a `RedisReply`. hiredis 0.14 parses arrays nested at most 8 deep (its
    /// reader has a fixed stack; a deeper reply is a protocol error), so the recursion is shallow.
    private static func convert(_ reply: UnsafePointer<redisReply>) throws -> RedisReply {
        let reply = reply.pointee
        let bytes = UnsafeRawBufferPointer(start: reply.str, count: reply.str == nil ? 0 : reply.len)
        switch reply.type {
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(reply.integer))
        case REDIS_REPLY_STRING:
            var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            return .bulkString(buffer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(reply.elements)
            for index in 0..<reply.elements {
                elements.append(try reply.element[index].map { try Self.convert($0) } ?? .null)
            }
            return .array(elements)
        default:
            throw RedisError.protocolError(message: "hiredis returned a reply of unknown type \(reply.type)")
        }
    }
}

/// hiredis' command formatter: `redisFormatCommandArgv` writes a command as a RESP array of bulk strings.
enum HiredisCommandFormatter {
    /// Writes `command` to `buffer` in Redis' wire format.
    static func format(_ command: RedisCommand, into buffer: inout ByteBuffer) throws {
        var argv: [UnsafePointer<CChar>?] = []
        argv.reserveCapacity(command.lengths.count)
        // `redisFormatCommandArgv` reads `lengths[i]` bytes at `argv[i]` and no more, so a trailing empty argument
        // may point just past the last byte; an all-empty command still needs one byte to have an address at all.
        let storage = command.bytes.isEmpty ? [0] : command.bytes
        let length = storage.withUnsafeBytes { bytes -> Int32 in
            let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
            var offset = 0
            for argumentLength in command.lengths {
                argv.append(base + offset)
                offset += argumentLength
            }
            var formatted: UnsafeMutablePointer<CChar>?
            let length = redisFormatCommandArgv(&formatted, Int32(argv.count), &argv, command.lengths)
            if let formatted {
                defer { redisFreeCommand(formatted) }
                if length > 0 {
                    buffer.writeBytes(UnsafeRawBufferPointer(start: formatted, count: Int(length)))
                }
            }
            return length
        }
        guard length > 0 else {
            throw RedisError.protocolError(message: "hiredis could not format the \(command.name) command")
        }
    }
}
