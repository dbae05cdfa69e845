/// Rewrites the services' `$1`, `$2`, ... placeholders into MySQL's positional `?`, and says which parameter each
/// `?` takes, so that one statement text serves PostgreSQL, SQLite and MySQL (a `$n` may appear twice).
/// Placeholders inside quoted strings and identifiers are left alone.
struct MySQLPlaceholders: Sendable, Hashable {
    /// The text with `?` placeholders.
    let sql: String
    /// For each `?` in order, the index (from 0) of the parameter it takes.
    let parameterIndices: [Int]

    init(rewriting text: String) {
        var sql = ""
        sql.reserveCapacity(text.utf8.count)
        var indices: [Int] = []
        var quote: Character?
        var characters = text[...]
        while let character = characters.popFirst() {
            if let open = quote {
                sql.append(character)
                if character == open { quote = nil }  // a doubled quote reopens at the next character
                continue
            }
            switch character {
            case "'", "\"", "`":
                quote = character
                sql.append(character)
            case "$" where characters.first?.isASCII == true && characters.first?.isNumber == true:
                let digits = characters.prefix { $0.isASCII && $0.isNumber }
                characters = characters.dropFirst(digits.count)
                indices.append(Int(digits)! - 1)
                sql.append("?")
            default:
                sql.append(character)
            }
        }
        self.sql = sql
        self.parameterIndices = indices
    }

    /// The values in `?` order.
    ///
    /// - Throws: `SQLError` with `.other` when a placeholder names a parameter that `binds` does not have.
    func arrange(_ binds: [SQLValue]) throws -> [SQLValue] {
        try self.parameterIndices.map { index in
            guard binds.indices.contains(index) else {
                throw SQLError(.other, detail: "statement uses $\(index + 1) but has \(binds.count) parameters")
            }
            return binds[index]
        }
    }
}
