import Foundation

/// Where a MySQL (MariaDB) database is: read from `mysql://user[:password]@host[:port]/database`.
public struct MySQLURL: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// The TCP port (3306 unless the URL says otherwise).
    public var port: Int
    /// The user to log in as.
    public var user: String
    /// The password, if any.
    public var password: String?
    /// The database (schema) the service's tables live in.
    public var database: String

    /// Reads `url`; user and password may be percent-encoded.
    ///
    /// - Throws: `SQLError` with `.other` naming the expected form when `url` is not a mysql:// URL with a user, a
    ///   host and a database.
    public init(_ url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "mysql",
            let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else {
            throw SQLError(.other, detail: "expected mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw SQLError(.other, detail: "expected a database name in mysql://USER@HOST[:PORT]/DATABASE")
        }
        self.host = host
        self.port = components.port ?? 3306
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
    }

    /// The URL again (with the password, so not for logs).
    public var urlString: String {
        var components = URLComponents()
        components.scheme = "mysql"
        components.user = self.user
        components.password = self.password
        components.host = self.host
        components.port = self.port
        components.path = "/" + self.database
        return components.string ?? "mysql://"
    }

    /// Whether `url` names a MySQL database (`mysql://`).
    public static func isMySQL(_ url: String) -> Bool {
        url.lowercased().hasPrefix("mysql://")
    }
}
