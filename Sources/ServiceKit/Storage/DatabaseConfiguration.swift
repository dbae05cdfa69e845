import Logging

/// Which database a service uses: PostgreSQL when `<SERVICE>_DATABASE_URL` (for example `USERS_DATABASE_URL`)
/// or else `DATABASE_URL` is set, MySQL when that URL is `mysql://...` and the service's statements are written for
/// it (the inventory's), SQLite under `./data/NAME.sqlite` otherwise.
public enum DatabaseConfiguration: Sendable, Hashable {
    /// PostgreSQL at the URL, the service's tables in `schema`.
    case postgres(url: String, schema: String)
    /// SQLite in the file at `path`.
    case sqlite(path: String)
    /// MySQL (MariaDB) at the URL (`mysql://user:password@host:port/database`).
    case mysql(url: String)

    /// The configuration for service `name` (`users`, `orders`, ...) from `environment`. `allowingMySQL` says that
    /// the service runs on MySQL too; for the others a mysql:// URL stays a PostgreSQL configuration, which `open`
    /// refuses with the form it expects.
    public static func fromEnvironment(
        service name: String, environment: [String: String], allowingMySQL: Bool = false
    ) -> DatabaseConfiguration {
        let specific = environment["\(name.uppercased())_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = specific ?? environment["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return allowingMySQL && MySQLURL.isMySQL(url) ? .mysql(url: url) : .postgres(url: url, schema: name)
        }
        return .sqlite(path: "./data/\(name).sqlite")
    }

    /// Opens the database.
    ///
    /// - Throws: `SQLError` when the URL is unreadable or the SQLite file cannot be opened (MySQL connects on
    ///   first use).
    public func open(logger: Logger) async throws -> any SQLDatabase {
        switch self {
        case .postgres(let url, let schema):
            return try PostgresDatabase(url: url, schema: schema, logger: logger)
        case .sqlite(let path):
            return try await SQLiteDatabase.open(path: path, logger: logger)
        case .mysql(let url):
            return try MySQLDatabase(url: url, logger: logger)
        }
    }
}
