import CHiredis
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `make test` starts a private Redis, PostgreSQL and MariaDB and exports their URLs; tests that need them must find
/// them. These fail (never skip) when the servers are missing: run the suite with `make test`.
@Suite struct TestServersTests {
    @Test func redisFromREDIS_URLAnswersPing() throws {
        let (host, port) = try Self.hostAndPort(of: "REDIS_URL")
        let socket = try Self.connect(host: host, port: port)
        defer { close(socket) }
        let command = Array("*1\r\n$4\r\nPING\r\n".utf8)
        #expect(send(socket, command, command.count, 0) == command.count)
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &bytes, bytes.count, 0)
        try #require(count > 0)

        let reader = try #require(redisReaderCreate())
        defer { redisReaderFree(reader) }
        _ = bytes.prefix(count).map { CChar(bitPattern: $0) }.withUnsafeBufferPointer {
            redisReaderFeed(reader, $0.baseAddress, count)
        }
        var reply: UnsafeMutableRawPointer?
        #expect(redisReaderGetReply(reader, &reply) == REDIS_OK)
        let parsed = try #require(reply?.assumingMemoryBound(to: redisReply.self))
        defer { freeReplyObject(parsed) }
        #expect(String(cString: parsed.pointee.str) == "PONG")
    }

    @Test func postgresFromDATABASE_URLAcceptsConnections() throws {
        let (host, port) = try Self.hostAndPort(of: "DATABASE_URL")
        let socket = try Self.connect(host: host, port: port)
        close(socket)
    }

    @Test func mariadbFromMYSQL_URLAcceptsConnections() throws {
        let (host, port) = try Self.hostAndPort(of: "MYSQL_URL")
        let socket = try Self.connect(host: host, port: port)
        close(socket)
    }

    /// The host and port of a `scheme://[user@]host:port/...` URL in an environment variable.
    static func hostAndPort(of variable: String) throws -> (String, UInt16) {
        guard let raw = getenv(variable) else {
            throw TestServerError("\(variable) is not set: run the tests with `make test`, which starts the servers")
        }
        var rest = Substring(String(cString: raw))
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let authority = rest.prefix { $0 != "/" }
        let parts = authority.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw TestServerError("\(variable): no host:port") }
        return (String(parts[0]), port)
    }

    static func connect(host: String, port: UInt16) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            throw TestServerError("not an IPv4 address: \(host)")
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw TestServerError("cannot connect to \(host):\(port)")
        }
        return socket
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
