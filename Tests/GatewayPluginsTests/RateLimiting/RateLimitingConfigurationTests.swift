import Gateway
import GatewayTesting
import Redis
import Testing

@testable import GatewayPlugins

@Suite struct RateLimitingConfigurationTests {
    /// The errors a configuration fails with, one line each, as `acme config check` prints them.
    private static func errors(_ config: String) -> [String] {
        do {
            _ = try PluginHarness(RateLimitingPlugin.self, config: config)
            return []
        } catch let errors as ConfigErrors {
            return errors.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    private static let at = "plugins.json: plugins[0].config"

    @Test func defaultsAreKongs() throws {
        var reader = PluginConfigReader(config: .object([JSONMember(key: "minute", value: .integer(5))]), file: "f", path: "p")
        let configuration = RateLimitingConfiguration(from: &reader)
        reader.finish()
        #expect(reader.errors.isEmpty)
        #expect(configuration.limits == [RateLimit(.minute, 5)])
        #expect(configuration.limitBy == .consumer)
        #expect(configuration.policy == .local)
        #expect(!configuration.sliding)
        #expect(configuration.faultTolerant)
        #expect(!configuration.hideClientHeaders)
        #expect(configuration.errorCode == 429)
        #expect(configuration.errorMessage == "API rate limit exceeded")
    }

    @Test(arguments: [
        ("{}", "second: expected at least one of second, minute, hour, day, month or year to be set, got none"),
        (#"{"minute": "sixty"}"#, #"minute: expected a positive integer, got "sixty""#),
        (#"{"minute": 0}"#, "minute: expected a positive integer, got 0"),
        (#"{"minute": 1.5}"#, "minute: expected a positive integer, got 1.5"),
        (#"{"second": 20, "hour": 10}"#, "hour: expected at least 20 (the limit for second), got 10"),
        (#"{"minute": 5, "limit_by": "user"}"#,
         #"limit_by: expected one of "consumer", "credential", "ip", "service", "header", "path", got "user""#),
        (#"{"minute": 5, "limit_by": "header"}"#, #"header_name: expected a header name with limit_by "header", got none"#),
        (#"{"minute": 5, "limit_by": "path", "path": "api"}"#,
         #"path: expected a path starting with / with limit_by "path", got "api""#),
        (#"{"minute": 5, "window_type": "rolling"}"#, #"window_type: expected one of "fixed", "sliding", got "rolling""#),
        (#"{"minute": 5, "error_code": 99}"#, "error_code: expected an integer from 100 to 599, got 99"),
        (#"{"minute": 5, "sync_rate": 10}"#, "sync_rate: expected -1 (counters are always updated as requests arrive), got 10"),
        (#"{"minute": 5, "policy": "cluster"}"#,
         #"policy: expected "local" or "redis", got "cluster" (Kong's cluster policy keeps counters in Kong's database, "#
            + #"which this gateway has none of; use "redis" to share counters between gateways)"#),
        (#"{"minute": 5, "policy": "memcached"}"#, #"policy: expected one of "local", "redis", got "memcached""#),
        (#"{"minute": 5, "policy": "redis"}"#, #"redis: expected redis.host or redis_url with policy "redis", got neither"#),
        (#"{"minute": 5, "policy": "redis", "redis_url": "redis://a:6379", "redis": {"host": "b"}}"#,
         "redis_url: expected either redis_url or redis.host, got both"),
        (#"{"minute": 5, "policy": "redis", "redis_url": "http://:s3cret@cache:6379"}"#,
         #"redis_url: expected a redis:// or unix:// URL, got scheme "http""#),
        (#"{"minute": 5, "policy": "redis", "redis_url": "redis://:s3cret@cache:99999"}"#,
         #"redis_url: the port must be a number from 1 to 65535, got "99999""#),
        (#"{"minute": 5, "redis": "localhost"}"#, #"redis: expected an object, got "localhost""#),
    ])
    func refusesWithOneLineNamingTheField(config: String, error: String) {
        #expect(Self.errors(config) == ["\(Self.at).\(error)"])
    }

    @Test func longerPeriodsMayNotHaveLowerLimits() {
        #expect(
            Self.errors(#"{"second": 20, "minute": 10, "hour": 30, "day": 5}"#) == [
                "\(Self.at).day: expected at least 30 (the limit for hour), got 5",
                "\(Self.at).minute: expected at least 20 (the limit for second), got 10",
            ]
        )
        #expect(Self.errors(#"{"second": 10, "minute": 10, "hour": 10, "day": 10, "month": 10, "year": 10}"#) == [])
    }

    @Test func redisObjectIsCheckedFieldByField() {
        #expect(
            Self.errors(#"{"minute": 5, "policy": "redis", "redis": {"host": "r", "port": 0, "ssl": true, "timeout": -1, "colour": 1}}"#)
                == [
                    "\(Self.at).redis.colour: unknown field; allowed fields are database, host, password, port, server_name, "
                        + "ssl, ssl_verify, timeout, username",
                    "\(Self.at).redis.port: expected an integer from 1 to 65535, got 0",
                    "\(Self.at).redis.ssl: expected false (TLS to Redis is not supported yet), got true",
                    "\(Self.at).redis.timeout: expected an integer from 1 to 2147483646, got -1",
                ]
        )
    }

    @Test func unknownFieldsNameTheAllowedOnes() {
        #expect(
            Self.errors(#"{"minute": 5, "colour": "red"}"#) == [
                "\(Self.at).colour: unknown field; allowed fields are day, error_code, error_message, fault_tolerant, "
                    + "header_name, hide_client_headers, hour, limit_by, minute, month, path, policy, redis, redis_url, "
                    + "second, sync_rate, window_type, year"
            ]
        )
    }

    /// What Kong 3.6 exports (every field, nulls included) loads as is.
    @Test func kongsExportedConfigurationLoads() {
        let exported = """
            {"second": null, "minute": 5, "hour": null, "day": null, "month": null, "year": 100,
             "limit_by": "consumer", "header_name": null, "path": null, "policy": "local", "fault_tolerant": true,
             "hide_client_headers": false, "error_code": 429, "error_message": "API rate limit exceeded", "sync_rate": -1,
             "redis": {"host": null, "port": 6379, "timeout": 2000, "username": null, "password": null, "database": 0,
                       "ssl": false, "ssl_verify": false, "server_name": null}}
            """
        #expect(Self.errors(exported) == [])
    }

    @Test func redisAsKongWritesItOrAsAURL() throws {
        let kong = try Self.policy(
            #"{"minute": 5, "policy": "redis", "redis": {"host": "cache", "port": 6380, "username": "u", "password": "${REDIS_PASSWORD}", "database": 2, "timeout": 500}}"#,
            environment: ["REDIS_PASSWORD": "s3cret"]
        )
        var expected = RedisConfiguration(endpoint: .tcp(host: "cache", port: 6380), username: "u", password: "s3cret", database: 2)
        expected.connectTimeout = .milliseconds(500)
        expected.commandTimeout = .milliseconds(500)
        #expect(kong == .redis(expected))

        let url = try Self.policy(#"{"minute": 5, "policy": "redis", "redis_url": "${REDIS_URL}"}"#, environment: ["REDIS_URL": "redis://:pw@cache:6381/3"])
        expected = RedisConfiguration(endpoint: .tcp(host: "cache", port: 6381), password: "pw", database: 3)
        expected.connectTimeout = .milliseconds(2_000)
        expected.commandTimeout = .milliseconds(2_000)
        #expect(url == .redis(expected))
    }

    /// The policy of the plugin loaded from `config` with `environment`.
    private static func policy(_ config: String, environment: [String: String]) throws -> RateLimitingConfiguration.Policy? {
        let configuration = try ConfigLoader.load(
            pluginsFile: #"{"plugins": [{"name": "rate-limiting", "config": \#(config)}]}"#,
            routeFiles: [("routes/s.json", #"{"service": {"name": "s", "url": "http://127.0.0.1:9"}, "routes": [{"name": "r", "paths": ["/"]}]}"#)],
            environment: environment,
            plugins: BundledPlugins.registry
        )
        let runtime = try GatewayRuntime(configuration: configuration, plugins: BundledPlugins.registry)
        return (runtime.chains[0].entries.first?.plugin as? RateLimitingPlugin)?.configuration.policy
    }
}
