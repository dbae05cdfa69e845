import ServiceKit

/// The user service's tables, in its own schema (PostgreSQL) or file (SQLite).
enum UserMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "users, clients, signing keys",
            [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    groups_list TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE oauth_clients (
                    client_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_hash TEXT,
                    redirect_uris TEXT NOT NULL,
                    grants TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY,
                    algorithm TEXT NOT NULL,
                    private_pem TEXT NOT NULL,
                    public_jwk TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    retired_at BIGINT)
                """,
            ]),
        Outbox.migration(version: 2),
        Outbox.claimMigration(version: 3),
    ]
}
