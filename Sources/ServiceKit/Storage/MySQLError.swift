import CMariaDB

/// An error that MariaDB Connector/C or the server reported: its error number, SQLSTATE and message. The message
/// is the server's and may quote values, so `description` leaves it out; `debugDescription` has everything.
public struct MySQLError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The error number (`ER_*` from the server, `CR_*` from the client library).
    public let number: UInt32
    /// The five-character SQLSTATE.
    public let sqlState: String
    /// The message as the server or the library wrote it.
    public let message: String
    /// What the client was doing: `connect`, `prepare`, `execute`, `fetch`.
    public let operation: String

    /// An error with its number, SQLSTATE, message and the operation that failed.
    public init(number: UInt32, sqlState: String, message: String, operation: String) {
        self.number = number
        self.sqlState = sqlState
        self.message = message
        self.operation = operation
    }

    /// Whether the connection is gone (refused, lost, timed out): it must be replaced, and the server may be back
    /// on a new one.
    public var isConnectionFailure: Bool {
        switch Int32(self.number) {
        case CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED,
            ER_CONNECTION_KILLED, ER_SERVER_SHUTDOWN:
            return true
        default:
            return false
        }
    }

    /// The error for the services: unique violations and lost connections by their code, the rest `.other`, with
    /// this error kept as the underlying one.
    var sqlError: SQLError {
        let code: SQLError.Code
        if self.number == UInt32(ER_DUP_ENTRY) || self.number == UInt32(ER_DUP_KEY) {
            code = .uniqueViolation
        } else if self.isConnectionFailure {
            code = .unavailable
        } else {
            code = .other
        }
        return SQLError(code, detail: "MySQL \(self.operation) failed with error \(self.number)", underlying: self)
    }

    public var description: String { "MySQL error \(self.number) (\(self.sqlState)) in \(self.operation)" }
    public var debugDescription: String { "\(self.description): \(self.message)" }
}
