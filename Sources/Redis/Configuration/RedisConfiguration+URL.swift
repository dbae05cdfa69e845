extension RedisConfiguration {
    /// A configuration from a Redis URL, as `REDIS_URL` holds it:
    ///
    /// * `redis://[[user]:password@]host[:port][/db]`: TCP; the port defaults to 6379 and the database to 0;
    ///   an IPv6 address goes in brackets (`redis://[::1]:6379/0`).
    /// * `unix://[[user]:password@]/path/to/redis.sock[?db=N]`: a Unix domain socket.
    ///
    /// The user and password may be percent-encoded (`%40` for `@`). A password alone is written with an empty
    /// user: `redis://:secret@cache:6379/0`. The other settings take their defaults.
    ///
    /// - Throws: ``RedisError`` with code ``RedisError/Code/invalidURL`` saying what is wrong; the message never
    ///   repeats the password.
    public init(url: String) throws(RedisError) {
        let (scheme, rest) = try Self.splitScheme(url)
        switch scheme {
        case "redis":
            try self.init(tcpURLRemainder: rest)
        case "unix":
            try self.init(unixURLRemainder: rest)
        case "rediss":
            throw .invalidURL(message: "rediss:// (Redis over TLS) is not supported; use redis:// or unix://")
        default:
            throw .invalidURL(message: "expected a redis:// or unix:// URL, got scheme \"\(scheme)\"")
        }
    }

    private static func splitScheme(_ url: String) throws(RedisError) -> (scheme: String, rest: Substring) {
        guard let separator = url.firstRange(of: "://") else {
            throw .invalidURL(message: "expected a redis:// or unix:// URL")
        }
        if url.contains("#") { throw .invalidURL(message: "a Redis URL has no #fragment") }
        return (url[..<separator.lowerBound].lowercased(), url[separator.upperBound...])
    }

    /// `[[user]:password@]host[:port][/db]`
    private init(tcpURLRemainder rest: Substring) throws(RedisError) {
        if rest.contains("?") { throw .invalidURL(message: "a redis:// URL takes no query; the database is its path") }
        // The last "@" ends the user information, so that an unencoded "@" or "/" in a password still parses.
        var hostAndPath = rest
        var credentials: (String?, String?) = (nil, nil)
        if let at = rest.lastIndex(of: "@") {
            credentials = try Self.credentials(rest[..<at])
            hostAndPath = rest[rest.index(after: at)...]
        }
        let slash = hostAndPath.firstIndex(of: "/") ?? hostAndPath.endIndex
        let (host, port) = try Self.hostAndPort(hostAndPath[..<slash])
        var path = hostAndPath[slash...]
        if path.first == "/" { path = path.dropFirst() }
        let database = path.isEmpty ? 0 : try Self.database(path)
        self.init(
            endpoint: .tcp(host: host, port: port), username: credentials.0, password: credentials.1, database: database
        )
    }

    /// `[[user]:password@]/path[?db=N]`
    private init(unixURLRemainder rest: Substring) throws(RedisError) {
        var pathAndQuery = rest
        var credentials: (String?, String?) = (nil, nil)
        if rest.first != "/" {
            guard let end = rest.firstRange(of: "@/") else {
                throw .invalidURL(message: "a unix:// URL needs an absolute socket path: unix:///path/to/redis.sock")
            }
            credentials = try Self.credentials(rest[..<end.lowerBound])
            pathAndQuery = rest[rest.index(after: end.lowerBound)...]
        }
        let question = pathAndQuery.firstIndex(of: "?") ?? pathAndQuery.endIndex
        let path = try Self.percentDecoded(pathAndQuery[..<question], what: "socket path")
        guard path.count > 1 else {
            throw .invalidURL(message: "a unix:// URL needs an absolute socket path: unix:///path/to/redis.sock")
        }
        var database = 0
        if question < pathAndQuery.endIndex {
            for item in pathAndQuery[pathAndQuery.index(after: question)...].split(separator: "&") {
                guard item.hasPrefix("db=") else {
                    throw .invalidURL(message: "a unix:// URL takes only ?db=N, got \"\(item.prefix { $0 != "=" })\"")
                }
                database = try Self.database(item.dropFirst(3))
            }
        }
        self.init(
            endpoint: .unixSocket(path: path), username: credentials.0, password: credentials.1, database: database)
    }

    /// `user:password` or `:password`; empty parts are absent.
    private static func credentials(_ userInfo: Substring) throws(RedisError) -> (String?, String?) {
        guard let colon = userInfo.firstIndex(of: ":") else {
            if userInfo.isEmpty { return (nil, nil) }
            throw .invalidURL(
                message:
                    "user information without a password: write redis://:PASSWORD@host or redis://USER:PASSWORD@host"
            )
        }
        let user = try Self.percentDecoded(userInfo[..<colon], what: "user")
        let password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], what: "password")
        if !user.isEmpty && password.isEmpty {
            throw .invalidURL(message: "user \"\(user)\" has no password: write redis://USER:PASSWORD@host")
        }
        return (user.isEmpty ? nil : user, password.isEmpty ? nil : password)
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(_ authority: Substring) throws(RedisError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw .invalidURL(message: "an IPv6 address needs its closing bracket: redis://[::1]:6379")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidURL(message: "expected :PORT after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .invalidURL(message: "a redis:// URL needs a host: redis://HOST:PORT/DB") }
        guard let portText else { return (String(host), 6379) }
        guard portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidURL(message: "the port must be a number from 1 to 65535, got \"\(portText)\"")
        }
        return (String(host), port)
    }

    private static func database(_ text: Substring) throws(RedisError) -> Int {
        guard text.allSatisfy(\.isASCIIDigit), let database = Int(text) else {
            throw .invalidURL(message: "the database must be a number (0, 1, ...), got \"\(text)\"")
        }
        return database
    }

    /// `text` with its `%XX` escapes decoded; `what` names the part in the error, never its value.
    private static func percentDecoded(_ text: Substring, what: String) throws(RedisError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let hex = String(decoding: utf8.prefix(2), as: UTF8.self)
            guard hex.count == 2, hex.allSatisfy(\.isHexDigit), let value = UInt8(hex, radix: 16) else {
                throw .invalidURL(message: "the \(what) has a bad percent-escape (expected %XX)")
            }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
