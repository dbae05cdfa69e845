/// Why a Redis command, connection or configuration failed.
///
/// Match on ``code``; ``message`` carries Redis' own words where Redis gave them:
///
/// ```swift
/// do {
///     _ = try await client.send("INCR", "name")
/// } catch let error as RedisError where error.code == .server {
///     print(error.message)  // "ERR value is not an integer or out of range"
/// }
/// ```
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; adding one breaks no exhaustive `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case server = "server"
            case authenticationFailed = "authentication failed"
            case databaseSelectionFailed = "database selection failed"
            case connectionFailed = "connection failed"
            case connectionClosed = "connection closed"
            case timeout = "timeout"
            case protocolError = "protocol error"
            case clientClosed = "client closed"
            case invalidURL = "invalid URL"
        }

        let base: Base

        private init(_ base: Base) { self.base = base }

        /// Redis answered the command with an error reply (`ERR ...`, `WRONGTYPE ...`, `NOSCRIPT ...`).
        public static let server = Code(.server)
        /// Redis refused the `AUTH` sent on connect (wrong password, unknown user, or no password configured).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// Redis refused the `SELECT` of the configured database sent on connect.
        public static let databaseSelectionFailed = Code(.databaseSelectionFailed)
        /// No connection could be made (refused, unreachable, connect timeout), or the client is waiting
        /// before its next attempt after such a failure. The command was not sent.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection closed before the reply arrived; the command may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No reply within the command timeout. The connection was closed, since later replies on it would no
        /// longer match their commands; the command may or may not have run.
        public static let timeout = Code(.timeout)
        /// The bytes from the server are not a Redis reply that hiredis can parse; the connection was closed.
        public static let protocolError = Code(.protocolError)
        /// The client was closed before or while the command ran.
        public static let clientClosed = Code(.clientClosed)
        /// A `REDIS_URL` that is not `redis://[[user]:password@]host[:port][/db]` or
        /// `unix://[[user]:password@]/path[?db=N]`.
        public static let invalidURL = Code(.invalidURL)

        public var description: String { self.base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// Redis' error message for ``Code/server``, ``Code/authenticationFailed`` and
    /// ``Code/databaseSelectionFailed`` (for instance `WRONGPASS invalid username-password pair or user is disabled.`);
    /// for the other codes, what went wrong. Never contains a password.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The first word of a server error's message, which Redis uses as the error's kind: `ERR`, `WRONGTYPE`,
    /// `NOSCRIPT`, `WRONGPASS`, ...; nil for errors that are not Redis' own.
    public var prefix: Substring? {
        switch self.code.base {
        case .server, .authenticationFailed, .databaseSelectionFailed:
            return self.message.prefix { $0 != " " }
        default:
            return nil
        }
    }

    public var description: String { "Redis \(self.code): \(self.message)" }

    /// Redis answered a command with an error reply carrying `message`.
    public static func server(message: String) -> RedisError { RedisError(.server, message) }
    /// Redis refused `AUTH` with `message`.
    public static func authenticationFailed(message: String) -> RedisError {
        RedisError(.authenticationFailed, message)
    }
    /// Redis refused `SELECT` with `message`.
    public static func databaseSelectionFailed(message: String) -> RedisError {
        RedisError(.databaseSelectionFailed, message)
    }
    /// No connection could be made; `message` says why.
    public static func connectionFailed(message: String) -> RedisError { RedisError(.connectionFailed, message) }
    /// The connection closed before the reply arrived.
    public static func connectionClosed(message: String = "the connection closed before the reply arrived")
        -> RedisError
    {
        RedisError(.connectionClosed, message)
    }
    /// No reply within the command timeout.
    public static func timeout(message: String = "no reply within the command timeout") -> RedisError {
        RedisError(.timeout, message)
    }
    /// The server sent bytes that are not a Redis reply.
    public static func protocolError(message: String) -> RedisError { RedisError(.protocolError, message) }
    /// The client was closed.
    public static let clientClosed = RedisError(.clientClosed, "the Redis client was closed")
    /// A `REDIS_URL` could not be used; `message` says why and never repeats the password.
    public static func invalidURL(message: String) -> RedisError { RedisError(.invalidURL, message) }
}
