/// A database failure the services react to, the same for both databases. Its description never contains SQL or
/// the server's message, so it is safe to show; the driver's error is kept in `underlying` for the logs.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// A unique constraint refused the change: the row exists already.
        case uniqueViolation
        /// The database could not be reached or the connection broke.
        case unavailable
        /// A column held a value of another type than the code expected.
        case unexpectedValue
        /// A migration's version is known to the database but its name differs: the code and the database disagree.
        case migrationMismatch
        /// Any other error the driver reported.
        case other
    }

    /// What went wrong.
    public let code: Code
    /// A safe explanation: the column, the migration, or the code's name.
    public let detail: String
    /// The driver's error, for logs only.
    public let underlying: (any Error & Sendable)?

    /// An error with its code, detail and the driver's error.
    public init(_ code: Code, detail: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.detail = detail
        self.underlying = underlying
    }

    /// A column that did not hold the expected type.
    public static func unexpectedValue(column: String) -> SQLError {
        SQLError(.unexpectedValue, detail: "column \(column) is missing or of an unexpected type")
    }

    public var description: String { "database error (\(self.code)): \(self.detail)" }
}
