import ArgumentParser
import Foundation
import JWT
import Logging
import ServiceKit
import UserService

/// `acme users ...`: administration of the user service's database (the same `USERS_DATABASE_URL`,
/// `DATABASE_URL` or `./data/users.sqlite` the service uses), while it runs or not.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Administer the user service: OAuth clients and signing keys.",
        subcommands: [Client.self, Keys.self]
    )

    struct Client: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "OAuth clients.", subcommands: [Create.self])
    }

    /// `acme users client create --name NAME --grant GRANT... --scope SCOPE... [--redirect-uri URI] [--public]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Create an OAuth client; prints {\"client_id\": ..., \"client_secret\": ...} (the secret only now).")

        @Option(help: "A name for people.")
        var name: String

        @Option(
            name: .customLong("grant"),
            help: "A grant type it may use (repeat): password, client_credentials, refresh_token, authorization_code.")
        var grants: [String] = []

        @Option(name: .customLong("scope"), help: "A scope it may ask for (repeat).")
        var scopes: [String] = []

        @Option(name: .customLong("redirect-uri"), help: "A redirect URI for authorization_code (repeat).")
        var redirectURIs: [String] = []

        @Flag(name: .customLong("public"), help: "A public client: no secret (a CLI, a single-page app).")
        var isPublic = false

        func validate() throws {
            if self.grants.isEmpty { throw ValidationError("--grant: give at least one grant type") }
        }

        func run() async throws {
            try await UsersCommand.withStore { store in
                let credentials = try await ClientRegistration.create(
                    store: store, name: self.name, grants: self.grants, scopes: self.scopes,
                    redirectURIs: self.redirectURIs, isPublic: self.isPublic)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(credentials), as: UTF8.self))
            }
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Token-signing keys.", subcommands: [Rotate.self])
    }

    /// `acme users keys rotate [--algorithm RS256|ES256]`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key; the old one stays in the JWKS until its tokens have expired.")

        @Option(help: "RS256 or ES256 (default: USERS_SIGNING_ALGORITHM, else RS256).")
        var algorithm: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let name = self.algorithm ?? environment["USERS_SIGNING_ALGORITHM"] ?? "RS256"
            guard let algorithm = JWTAlgorithm(name: name.uppercased()), algorithm == .rs256 || algorithm == .es256
            else {
                throw ValidationError("--algorithm: expected RS256 or ES256, got \"\(name)\"")
            }
            try await UsersCommand.withStore { store in
                let configuration = try UserServiceConfiguration.fromEnvironment(
                    environment,
                    database: DatabaseConfiguration.fromEnvironment(service: "users", environment: environment))
                let kid = try await KeyRing(store: store, retention: configuration.keyRetention).rotate(
                    algorithm: algorithm)
                print(
                    "new signing key \(kid) (\(algorithm.name)); "
                        + "the previous key stays published until its tokens expire"
                )
            }
        }
    }

    static func withStore(_ body: (SQLUserStore) async throws -> Void) async throws {
        let logger = LogSetup.bootstrapFromEnvironment(label: "acme.users")
        let (store, database) = try await UserServiceProcess.openStore(
            environment: ProcessInfo.processInfo.environment, logger: logger)
        do {
            try await body(store)
        } catch let error as ServiceConfigurationError {
            await database.close()
            throw ValidationError(error.description)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
