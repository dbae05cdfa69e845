import JWT
import ServiceKit
import Testing
import UserService

@Suite struct UserServiceConfigurationTests {
    @Test func theEnvironmentSetsIssuerAlgorithmLifetimesAndDemoData() throws {
        let sqlite = DatabaseConfiguration.sqlite(path: "./data/users.sqlite")
        let postgres = DatabaseConfiguration.postgres(url: "postgres://a@h/d", schema: "users")
        let defaults = try UserServiceConfiguration.fromEnvironment([:], database: sqlite)
        #expect(defaults.issuer == "http://127.0.0.1:8101")
        #expect(defaults.signingAlgorithm == .rs256)
        #expect(defaults.demoData)
        #expect(try UserServiceConfiguration.fromEnvironment([:], database: postgres).demoData == false)
        let set = try UserServiceConfiguration.fromEnvironment(
            [
                "USERS_ISSUER": "https://id.example/", "USERS_SIGNING_ALGORITHM": "es256",
                "USERS_ACCESS_TOKEN_TTL": "60",
                "USERS_DEMO_DATA": "true",
            ],
            database: postgres)
        #expect(set.issuer == "https://id.example")
        #expect(set.signingAlgorithm == .es256)
        #expect(set.accessTokenLifetime == .seconds(60))
        #expect(set.demoData)
        #expect(throws: ServiceConfigurationError.self) {
            try UserServiceConfiguration.fromEnvironment(["USERS_SIGNING_ALGORITHM": "HS256"], database: sqlite)
        }
        #expect(throws: ServiceConfigurationError.self) {
            try UserServiceConfiguration.fromEnvironment(["USERS_ACCESS_TOKEN_TTL": "soon"], database: sqlite)
        }
    }

    @Test func emailsAreNormalisedOrRefused() {
        #expect(EmailAddress.normalise("  Ann@Example.COM ") == "ann@example.com")
        #expect(EmailAddress.normalise("ann@localhost") == nil)
        #expect(EmailAddress.normalise("ann") == nil)
        #expect(EmailAddress.normalise("a b@example.com") == nil)
        #expect(EmailAddress.normalise("a@b@example.com") == nil)
    }
}
