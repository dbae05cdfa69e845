import NIOCore

/// The few DNS messages the resolver needs (RFC 1035): a recursive query for one name's A or AAAA records, and the
/// addresses and smallest TTL of its answer.
enum DNSMessage {
    enum RecordType: UInt16, Sendable {
        case a = 1
        case aaaa = 28
    }

    /// What an answer says.
    enum Answer: Equatable, Sendable {
        /// The addresses (possibly none) and the smallest TTL among them, in seconds.
        case addresses([String], ttl: Int)
        /// The name does not exist (NXDOMAIN).
        case notFound
        /// The server failed or refused (its response code).
        case failure(UInt8)
    }

    enum ParseError: Error {
        case truncated
        case malformed
    }

    /// A query with the recursion-desired flag; nil when `name` is not a valid DNS name.
    static func query(id: UInt16, name: String, type: RecordType) -> ByteBuffer? {
        var buffer = ByteBuffer()
        buffer.writeInteger(id)
        buffer.writeInteger(UInt16(0x0100))
        buffer.writeInteger(UInt16(1))
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt16(0))
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count) else { return nil }
            buffer.writeInteger(UInt8(label.utf8.count))
            buffer.writeString(String(label))
        }
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(UInt16(1))
        return buffer
    }

    /// The message's id (the first two bytes), to match an answer to its query.
    static func id(of message: ByteBuffer) -> UInt16? {
        message.getInteger(at: message.readerIndex, as: UInt16.self)
    }

    /// The records of `type` in an answer.
    static func parse(_ message: ByteBuffer, type: RecordType) throws -> Answer {
        var buffer = message
        guard let _ = buffer.readInteger(as: UInt16.self), let flags = buffer.readInteger(as: UInt16.self),
            let questions = buffer.readInteger(as: UInt16.self), let answers = buffer.readInteger(as: UInt16.self),
            buffer.readInteger(as: UInt32.self) != nil
        else { throw ParseError.truncated }
        guard flags & 0x8000 != 0 else { throw ParseError.malformed }
        let code = UInt8(flags & 0x000F)
        if code == 3 { return .notFound }
        if code != 0 { return .failure(code) }
        for _ in 0..<questions {
            try Self.skipName(&buffer)
            guard buffer.readInteger(as: UInt32.self) != nil else { throw ParseError.truncated }
        }
        var addresses: [String] = []
        var ttl = Int.max
        for _ in 0..<answers {
            try Self.skipName(&buffer)
            guard let recordType = buffer.readInteger(as: UInt16.self), let recordClass = buffer.readInteger(as: UInt16.self),
                let recordTTL = buffer.readInteger(as: UInt32.self), let length = buffer.readInteger(as: UInt16.self),
                let data = buffer.readSlice(length: Int(length))
            else { throw ParseError.truncated }
            guard recordClass == 1, recordType == type.rawValue else { continue }
            guard let address = try? SocketAddress(packedIPAddress: data, port: 0), let text = address.ipAddress else {
                throw ParseError.malformed
            }
            addresses.append(text)
            ttl = min(ttl, Int(recordTTL))
        }
        return .addresses(addresses, ttl: addresses.isEmpty ? 0 : ttl)
    }

    /// Moves past a name: labels ending in a zero byte, or in a compression pointer.
    private static func skipName(_ buffer: inout ByteBuffer) throws {
        while true {
            guard let length = buffer.readInteger(as: UInt8.self) else { throw ParseError.truncated }
            if length == 0 { return }
            if length & 0xC0 == 0xC0 {
                guard buffer.readInteger(as: UInt8.self) != nil else { throw ParseError.truncated }
                return
            }
            guard buffer.readSlice(length: Int(length)) != nil else { throw ParseError.truncated }
        }
    }
}
