import Foundation
import JWT
import ServiceKit

/// `UserStore` on a `SQLDatabase`: the same statements on PostgreSQL and SQLite. Lists (groups, grants, scopes)
/// are stored space-separated, redirect URIs and JWKs as JSON.
public struct SQLUserStore: UserStore {
    /// The database.
    public let database: any SQLDatabase

    /// A store on `database`; call `migrate()` before use.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Applies the service's migrations.
    public func migrate() async throws {
        try await MigrationRunner.migrate(self.database, migrations: UserMigrations.all)
    }

    private static let userColumns = "id, email, name, password_hash, groups_list, created_at, updated_at"

    public func createUser(_ user: UserRecord, event: EventEnvelope) async throws {
        do {
            try await self.database.transaction { transaction in
                try await transaction.query(
                    SQLStatement(
                        "INSERT INTO users (\(Self.userColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        Self.values(of: user)))
                try await Outbox.enqueue(event, in: transaction)
            }
        } catch let error as SQLError where error.code == .uniqueViolation {
            throw UserStoreError.emailTaken
        }
    }

    public func user(id: String) async throws -> UserRecord? {
        try await self.database.first(SQLStatement("SELECT \(Self.userColumns) FROM users WHERE id = $1", [.text(id)]))
            .map(Self.user)
    }

    public func user(email: String) async throws -> UserRecord? {
        try await self.database.first(
            SQLStatement("SELECT \(Self.userColumns) FROM users WHERE email = $1", [.text(email)])
        ).map(Self.user)
    }

    public func updateUser(_ user: UserRecord) async throws -> Bool {
        do {
            let rows = try await self.database.query(
                SQLStatement(
                    """
                    UPDATE users SET email = $2, name = $3, password_hash = $4, groups_list = $5, updated_at = $7
                    WHERE id = $1 RETURNING id
                    """,
                    Self.values(of: user)))
            return !rows.isEmpty
        } catch let error as SQLError where error.code == .uniqueViolation {
            throw UserStoreError.emailTaken
        }
    }

    public func deleteUser(id: String) async throws -> Bool {
        !(try await self.database.query(SQLStatement("DELETE FROM users WHERE id = $1 RETURNING id", [.text(id)]))
            .isEmpty)
    }

    public func users(after afterID: String?, limit: Int) async throws -> [UserRecord] {
        let rows: [SQLRow]
        if let afterID {
            rows = try await self.database.query(
                SQLStatement(
                    "SELECT \(Self.userColumns) FROM users WHERE id > $1 ORDER BY id LIMIT $2",
                    [.text(afterID), SQLValue(limit)]))
        } else {
            rows = try await self.database.query(
                SQLStatement("SELECT \(Self.userColumns) FROM users ORDER BY id LIMIT $1", [SQLValue(limit)]))
        }
        return try rows.map(Self.user)
    }

    public func createClient(_ client: OAuthClientRecord) async throws {
        do {
            try await self.database.query(
                SQLStatement(
                    """
                    INSERT INTO oauth_clients (client_id, name, secret_hash, redirect_uris, grants, scopes, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """,
                    [
                        .text(client.id), .text(client.name), SQLValue(client.secretHash),
                        .text(try Self.json(client.redirectURIs)), .text(client.grants.joined(separator: " ")),
                        .text(client.scopes.joined(separator: " ")), .integer(client.createdAt),
                    ]))
        } catch let error as SQLError where error.code == .uniqueViolation {
            throw UserStoreError.clientExists
        }
    }

    public func client(id: String) async throws -> OAuthClientRecord? {
        guard
            let row = try await self.database.first(
                SQLStatement(
                    """
                    SELECT client_id, name, secret_hash, redirect_uris, grants, scopes, created_at
                    FROM oauth_clients WHERE client_id = $1
                    """,
                    [.text(id)]))
        else { return nil }
        return OAuthClientRecord(
            id: try row.text("client_id"), name: try row.text("name"), secretHash: row["secret_hash"].text,
            redirectURIs: try JSONDecoder().decode([String].self, from: Data(try row.text("redirect_uris").utf8)),
            grants: Self.words(try row.text("grants")), scopes: Self.words(try row.text("scopes")),
            createdAt: try row.integer("created_at"))
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        let rows = try await self.database.query(
            """
            SELECT kid, algorithm, private_pem, public_jwk, created_at, retired_at
            FROM signing_keys ORDER BY created_at DESC, kid
            """
        )
        return try rows.map { row in
            guard let algorithm = JWTAlgorithm(name: try row.text("algorithm")) else {
                throw SQLError.unexpectedValue(column: "algorithm")
            }
            return SigningKeyRecord(
                kid: try row.text("kid"), algorithm: algorithm, privatePEM: try row.text("private_pem"),
                publicJWK: try JSONDecoder().decode(JWK.self, from: Data(try row.text("public_jwk").utf8)),
                createdAt: try row.integer("created_at"), retiredAt: row["retired_at"].integer)
        }
    }

    public func addSigningKey(_ key: SigningKeyRecord, onlyIfNone: Bool) async throws -> Bool {
        let jwk = String(decoding: try JSONEncoder().encode(key.publicJWK), as: UTF8.self)
        return try await self.database.exclusiveTransaction { transaction in
            if onlyIfNone,
                try await transaction.first("SELECT kid FROM signing_keys WHERE retired_at IS NULL") != nil
            {
                return false
            }
            try await transaction.query(
                SQLStatement(
                    "UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL", [.integer(key.createdAt)]))
            try await transaction.query(
                SQLStatement(
                    """
                    INSERT INTO signing_keys (kid, algorithm, private_pem, public_jwk, created_at, retired_at)
                    VALUES ($1, $2, $3, $4, $5, NULL)
                    """,
                    [
                        .text(key.kid), .text(key.algorithm.name), .text(key.privatePEM), .text(jwk),
                        .integer(key.createdAt),
                    ]
                ))
            return true
        }
    }

    public func deleteSigningKeys(retiredBefore cutoff: Int64) async throws {
        try await self.database.query(
            SQLStatement(
                "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1", [.integer(cutoff)]))
    }

    public func ping() async throws {
        try await self.database.ping()
    }

    private static func values(of user: UserRecord) -> [SQLValue] {
        [
            .text(user.id), .text(user.email), .text(user.name), .text(user.passwordHash),
            .text(user.groups.joined(separator: " ")), .integer(user.createdAt), .integer(user.updatedAt),
        ]
    }

    private static func user(_ row: SQLRow) throws -> UserRecord {
        UserRecord(
            id: try row.text("id"), email: try row.text("email"), name: try row.text("name"),
            passwordHash: try row.text("password_hash"), groups: Self.words(try row.text("groups_list")),
            createdAt: try row.integer("created_at"), updatedAt: try row.integer("updated_at"))
    }

    private static func words(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }

    private static func json(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }
}
