/// A value bound to, or read from, a SQL statement: the few types the services store, the same on PostgreSQL and
/// SQLite. Times are integers (milliseconds since 1970), documents are JSON text, flags are integers.
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit integer (`BIGINT` on PostgreSQL, `INTEGER` on SQLite).
    case integer(Int64)
    /// A double (`DOUBLE PRECISION`, `REAL`).
    case double(Double)
    /// Text (`TEXT`).
    case text(String)

    /// The text, if this is text.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The integer, if this is an integer (or a double with an integral value).
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// Whether this is `NULL`.
    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    /// A text value.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer value.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// `NULL`.
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// Text, or `NULL` for `nil`.
    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    /// An integer from an `Int`.
    public init(_ integer: Int) { self = .integer(Int64(integer)) }
}

/// One row of a result: its columns by name, in lowercase as both databases report unquoted names.
public struct SQLRow: Sendable, Hashable {
    /// The columns by name.
    public let columns: [String: SQLValue]

    /// A row from its columns.
    public init(columns: [String: SQLValue]) {
        self.columns = columns
    }

    /// The value of `column`, `NULL` when the row has no such column.
    public subscript(column: String) -> SQLValue { self.columns[column] ?? .null }

    /// The text of `column`.
    ///
    /// - Throws: `SQLError` with `.unexpectedValue` when the column is missing, `NULL` or not text.
    public func text(_ column: String) throws -> String {
        guard let value = self[column].text else { throw SQLError.unexpectedValue(column: column) }
        return value
    }

    /// The integer in `column`.
    ///
    /// - Throws: `SQLError` with `.unexpectedValue` when the column is missing, `NULL` or not an integer.
    public func integer(_ column: String) throws -> Int64 {
        guard let value = self[column].integer else { throw SQLError.unexpectedValue(column: column) }
        return value
    }
}

/// A statement and its parameters. Parameters are written `$1`, `$2`, ... in the text on both databases (the
/// SQLite implementation reads them as SQLite's numbered `?1`, `?2`, ...), so one text serves both.
public struct SQLStatement: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// The values of `$1`, `$2`, ...
    public var binds: [SQLValue]

    /// A statement with parameters.
    public init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// A statement without parameters.
    public init(stringLiteral sql: String) {
        self.init(sql)
    }
}
