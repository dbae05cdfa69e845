/// The column types and table options that differ between the dialects, for migrations.
extension SQLDialect {
    /// An auto-numbered 64-bit primary key column's type and constraint.
    public var sequencePrimaryKey: String {
        switch self {
        case .postgres: return "BIGSERIAL PRIMARY KEY"
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .mysql: return "BIGINT AUTO_INCREMENT PRIMARY KEY"
        }
    }

    /// The type of a text column that is a key or indexed: `TEXT`, but MySQL indexes no `TEXT` without a prefix
    /// length, so there it is `VARCHAR(191)` (at most 764 bytes in utf8mb4, under every InnoDB key limit).
    public var keyText: String {
        self == .mysql ? "VARCHAR(191)" : "TEXT"
    }

    /// What follows a `CREATE TABLE (...)`: on MySQL, InnoDB (row locks, transactions) with utf8mb4 and binary
    /// comparison, so keys compare by their bytes as on PostgreSQL and SQLite; nothing elsewhere.
    public var tableOptions: String {
        self == .mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : ""
    }
}
