import Foundation
import Logging

/// What the services' tests find on this machine. `make test` starts a private PostgreSQL, Redis, MariaDB and
/// RabbitMQ and exports `DATABASE_URL`, `REDIS_URL`, `MYSQL_URL` and `AMQP_URL`; without them the tests that need
/// those servers are skipped, except under `CI=true`, where they run and fail.
public enum ServiceTestEnvironment {
    /// `DATABASE_URL`, when set.
    public static let databaseURL: String? = ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    /// `REDIS_URL`, when set.
    public static let redisURL: String? = ProcessInfo.processInfo.environment["REDIS_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    /// `MYSQL_URL` (a MariaDB database the tests may make further databases beside), when set.
    public static let mysqlURL: String? = ProcessInfo.processInfo.environment["MYSQL_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    /// `AMQP_URL`, when set.
    public static let amqpURL: String? = ProcessInfo.processInfo.environment["AMQP_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    /// Whether this is CI (`CI=true`), where missing servers are failures.
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the PostgreSQL tests run: the server is there, or CI requires it.
    public static let postgresTestsRun = databaseURL != nil || isCI
    /// Whether the Redis tests run: the server is there, or CI requires it.
    public static let redisTestsRun = redisURL != nil || isCI
    /// Whether the MySQL tests run: the server is there, or CI requires it.
    public static let mysqlTestsRun = mysqlURL != nil || isCI
    /// Why MySQL tests were skipped.
    public static let mysqlMissing =
        "MYSQL_URL is not set: run `make test` (or scripts/test-servers.sh swift test ...) for the MySQL tests"

    /// Whether the RabbitMQ tests run: the broker is there, or CI requires it.
    public static let amqpTestsRun = amqpURL != nil || isCI

    /// Why PostgreSQL tests were skipped.
    public static let postgresMissing =
        "DATABASE_URL is not set: run `make test` (or scripts/test-servers.sh swift test ...) for the PostgreSQL tests"
    /// Why Redis tests were skipped.
    public static let redisMissing =
        "REDIS_URL is not set: run `make test` (or scripts/test-servers.sh swift test ...) for the Redis tests"

    /// Why RabbitMQ tests were skipped.
    public static let amqpMissing =
        "AMQP_URL is not set: run `make test` (or scripts/test-servers.sh swift test ...) for the RabbitMQ tests"

    /// `AMQP_URL`; throws when it is missing (under CI).
    public static func requireAMQPURL() throws -> String {
        guard let url = amqpURL else { throw TestSetupError("AMQP_URL is not set: run the tests with `make test`") }
        return url
    }

    /// `DATABASE_URL`; throws when it is missing (under CI).
    public static func requireDatabaseURL() throws -> String {
        guard let url = databaseURL else {
            throw TestSetupError("DATABASE_URL is not set: run the tests with `make test`")
        }
        return url
    }

    /// `MYSQL_URL`; throws when it is missing (under CI).
    public static func requireMySQLURL() throws -> String {
        guard let url = mysqlURL else { throw TestSetupError("MYSQL_URL is not set: run the tests with `make test`") }
        return url
    }

    /// `REDIS_URL`; throws when it is missing (under CI).
    public static func requireRedisURL() throws -> String {
        guard let url = redisURL else { throw TestSetupError("REDIS_URL is not set: run the tests with `make test`") }
        return url
    }

    /// A logger that drops everything (set `TEST_LOG_LEVEL` to see the services' logs on stderr).
    public static let logger: Logger = {
        guard let level = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        else { return Logger(label: "tests", factory: { _ in SwiftLogNoOpLogHandler() }) }
        var logger = Logger(label: "tests", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }()
}

/// A test could not set up what it needs.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
