import Gateway
import NIOCore
import Redis

/// Kong's `rate-limiting` schema: limits per `second` ... `year` (at least one; a longer period's limit no lower
/// than a shorter one's), `limit_by`, the `local` or `redis` policy (`redis` as Kong 3.6 writes it, or the
/// `redis_url` shorthand), `fault_tolerant`, `hide_client_headers`, `error_code` and `error_message`; beyond Kong,
/// `window_type` (`fixed` or `sliding`).
public struct RateLimitingConfiguration: PluginConfiguration {
    /// Whom requests are counted for.
    public enum LimitBy: Sendable, Hashable {
        case consumer, credential, ip, service
        /// The value of the header with this name.
        case header(String)
        /// This path, exactly.
        case path(String)
    }

    /// Where the counters are kept.
    public enum Policy: Sendable, Hashable {
        /// In the gateway process: exact across its event loops, not shared with other gateways.
        case local
        /// In Redis, shared by every gateway that uses it.
        case redis(RedisConfiguration)
    }

    /// The configured limits, shortest period first.
    public var limits: [RateLimit]
    public var limitBy: LimitBy
    public var policy: Policy
    /// Count in windows aligned to their period (`fixed`, Kong's), or in a window sliding with the clock, estimated
    /// from the current and the previous fixed window's counts (`sliding`).
    public var sliding: Bool
    /// Let requests through (and log) when Redis fails, rather than answering 500.
    public var faultTolerant: Bool
    /// Send the client no rate-limit headers.
    public var hideClientHeaders: Bool
    /// The status (429) and the `message` of the answer to a request over the limit.
    public var errorCode: Int
    public var errorMessage: String

    /// Kong's default `redis.timeout`, in milliseconds; also the timeout with `redis_url`.
    static let defaultRedisTimeout = 2_000

    public init(from reader: inout PluginConfigReader) {
        self.limits = Self.limits(&reader)
        self.limitBy = Self.limitBy(&reader)
        self.policy = Self.policy(&reader)
        self.sliding = reader.choice("window_type", ["fixed", "sliding"], default: "fixed") == "sliding"
        self.faultTolerant = reader.bool("fault_tolerant", default: true)
        self.hideClientHeaders = reader.bool("hide_client_headers", default: false)
        self.errorCode = reader.integer("error_code", in: 100...599, default: 429) ?? 429
        self.errorMessage = reader.string("error_message", default: "API rate limit exceeded")
        if let syncRate = reader.value("sync_rate"), syncRate != .integer(-1) {
            let got = syncRate.errorDescription
            reader.fail("sync_rate", "expected -1 (counters are always updated as requests arrive), got \(got)")
        }
    }

    /// The periods' limits: at least one, and none lower than a shorter period's (Kong's order check).
    private static func limits(_ reader: inout PluginConfigReader) -> [RateLimit] {
        var limits: [RateLimit] = []
        for period in RateLimitPeriod.allCases {
            guard let limit = reader.integer(period.name, in: 1...Int.max, default: nil) else { continue }
            if let highest = limits.max(by: { $0.limit < $1.limit }), highest.limit > limit {
                reader.fail(
                    period.name,
                    "expected at least \(highest.limit) (the limit for \(highest.period.name)), got \(limit)"
                )
            }
            limits.append(RateLimit(period, limit))
        }
        if limits.isEmpty, reader.errors.isEmpty {
            let periods = "second, minute, hour, day, month or year"
            reader.fail("second", "expected at least one of \(periods) to be set, got none")
        }
        return limits
    }

    private static func limitBy(_ reader: inout PluginConfigReader) -> LimitBy {
        let choices = ["consumer", "credential", "ip", "service", "header", "path"]
        let headerName = reader.string("header_name", default: "")
        let path = reader.string("path", default: "")
        switch reader.choice("limit_by", choices, default: "consumer") {
        case "credential": return .credential
        case "ip": return .ip
        case "service": return .service
        case "header":
            if headerName.isEmpty {
                reader.fail("header_name", "expected a header name with limit_by \"header\", got none")
            }
            return .header(headerName)
        case "path":
            if !path.hasPrefix("/") {
                reader.fail("path", "expected a path starting with / with limit_by \"path\", got \"\(path)\"")
            }
            return .path(path)
        default: return .consumer
        }
    }

    /// `local`, or `redis` with `redis` (Kong's object) or `redis_url`; Kong's `cluster` needs Kong's database.
    private static func policy(_ reader: inout PluginConfigReader) -> Policy {
        let name = reader.string("policy", default: "local")
        let url = reader.string("redis_url", default: "")
        let redis = reader.object("redis") { RedisFields(&$0) }
        switch name {
        case "local":
            return .local
        case "redis":
            break
        case "cluster":
            reader.fail(
                "policy",
                "expected \"local\" or \"redis\", got \"cluster\" (Kong's cluster policy keeps counters in Kong's "
                    + "database, which this gateway has none of; use \"redis\" to share counters between gateways)"
            )
            return .local
        default:
            reader.fail("policy", "expected one of \"local\", \"redis\", got \"\(name)\"")
            return .local
        }
        let timeout = TimeAmount.milliseconds(Int64(redis?.timeout ?? Self.defaultRedisTimeout))
        var configuration: RedisConfiguration
        switch (url.isEmpty, redis?.host) {
        case (false, .some):
            reader.fail("redis_url", "expected either redis_url or redis.host, got both")
            return .local
        case (false, nil):
            do {
                configuration = try RedisConfiguration(url: url)
            } catch {
                reader.fail("redis_url", error.message)
                return .local
            }
        case (true, let host?):
            configuration = RedisConfiguration(
                endpoint: .tcp(host: host, port: redis?.port ?? 6_379),
                username: redis?.username,
                password: redis?.password,
                database: redis?.database ?? 0
            )
        case (true, nil):
            reader.fail("redis", "expected redis.host or redis_url with policy \"redis\", got neither")
            return .local
        }
        configuration.connectTimeout = timeout
        configuration.commandTimeout = timeout
        return .redis(configuration)
    }
}

/// Kong 3.6's `redis` object: `host`, `port` (6379), `timeout` (milliseconds, 2000), `username`, `password`,
/// `database` (0); `ssl` must stay false (`ssl_verify` and `server_name`, which only matter with it, are accepted
/// for configurations exported from Kong).
private struct RedisFields {
    var host: String?
    var port: Int
    var timeout: Int
    var username: String?
    var password: String?
    var database: Int

    init(_ reader: inout PluginConfigReader) {
        let host = reader.string("host", default: "")
        self.host = host.isEmpty ? nil : host
        self.port = reader.integer("port", in: 1...65_535, default: 6_379) ?? 6_379
        let timeout = RateLimitingConfiguration.defaultRedisTimeout
        self.timeout = reader.integer("timeout", in: 1...2_147_483_646, default: timeout) ?? timeout
        let username = reader.string("username", default: "")
        self.username = username.isEmpty ? nil : username
        let password = reader.string("password", default: "")
        self.password = password.isEmpty ? nil : password
        self.database = reader.integer("database", in: 0...Int.max, default: 0) ?? 0
        if reader.bool("ssl", default: false) {
            reader.fail("ssl", "expected false (TLS to Redis is not supported yet), got true")
        }
        _ = reader.bool("ssl_verify", default: false)
        _ = reader.string("server_name", default: "")
    }
}
