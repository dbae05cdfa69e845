import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `rate-limiting`: counts requests per caller (`limit_by`) in windows of a second to a year, and answers
/// `error_code` (429) with `error_message` once a window is full. Counters are the gateway's own (`local`: exact
/// across its event loops, without a lock and without leaving the loop) or in Redis (`redis`: one script, one round
/// trip, exact across every gateway sharing the Redis). Kong's headers go to the client on the response to every
/// request it counted, also when a later plugin answers it, unless `hide_client_headers`.
///
/// Counters are kept per scope, as Kong keeps them per plugin: a global entry counts a caller across every route it
/// runs on, a service's or route's own object for that service or route.
public struct RateLimitingPlugin: GatewayPlugin {
    public static let name = "rate-limiting"
    public static let priority = 910

    private enum Counters: Sendable {
        case local(LocalCounterStore)
        case redis(RedisCounterStore)
    }

    let configuration: RateLimitingConfiguration
    private let counters: Counters
    /// The plugin's scope, part of every counter's key.
    private let scope: String
    private let clock: any GatewayClock
    private let refusal: PluginReply
    private let metrics: GatewayMetrics

    /// `acme_rate_limiting_decisions_total`: requests let through, refused, or decided without Redis.
    static let decisions = CounterFamily(
        name: "acme_rate_limiting_decisions_total",
        help: "Rate-limiting decisions per service/route: allowed, limited, or error (the counters could not be reached)",
        labelNames: ["service", "route", "policy", "decision"]
    )

    public init(configuration: RateLimitingConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        switch configuration.policy {
        case .local:
            self.counters = .local(
                setup.resources.shared(Self.name) {
                    LocalCounterStore(eventLoopGroup: setup.eventLoopGroup, clock: setup.clock)
                }
            )
        case .redis(let redis):
            self.counters = .redis(
                setup.resources.shared(redis) {
                    RedisCounterStore(configuration: redis, eventLoopGroup: setup.eventLoopGroup, logger: setup.logger)
                }
            )
        }
        self.scope = setup.scope.description
        self.clock = setup.clock
        self.metrics = setup.metrics
        self.refusal = .message(HTTPResponseStatus(statusCode: configuration.errorCode), configuration.errorMessage)
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        let now = self.clock.now()
        let sliding = self.configuration.sliding
        let windows = self.configuration.limits.map { RateLimitWindow($0, at: now, sliding: sliding) }
        let identifier = RateLimitIdentifier(request, self.configuration)
        switch self.counters {
        case .local(let store):
            let key = LocalCounterStore.Key(scope: self.scope, identifier: identifier)
            return self.decided(store.hit(key, windows: windows, on: request.eventLoop), request)
        case .redis(let store):
            let faultTolerant = self.configuration.faultTolerant
            return .deferred(
                store.hit("ratelimit:{\(self.scope):\(identifier)}", windows: windows, on: request.eventLoop)
                    .hop(to: request.eventLoop).assumeIsolated()
                    .map { self.decided($0, request) }
                    .recover { error in
                        store.logFailure(error, at: now, letThrough: faultTolerant)
                        self.count("error", request)
                        return faultTolerant ? .proceed : .respond(PluginChain.unexpectedError)
                    }
                    .nonisolated()
            )
        }
    }

    public func response(_ request: PluginRequest, _ response: PluginResponse) {
        request.context[RateLimitHeaders.ContextKey.self]?.apply(to: &response.headers)
    }

    /// Keeps the headers for the response phase, and refuses a request that did not fit.
    private func decided(_ decision: RateLimitDecision, _ request: PluginRequest) -> PluginAction {
        if !self.configuration.hideClientHeaders {
            request.context[RateLimitHeaders.ContextKey.self] = RateLimitHeaders(decision)
        }
        self.count(decision.admitted ? "allowed" : "limited", request)
        return decision.admitted ? .proceed : .respond(self.refusal)
    }

    private func count(_ decision: String, _ request: PluginRequest) {
        let policy: String
        switch self.counters {
        case .local: policy = "local"
        case .redis: policy = "redis"
        }
        self.metrics.increment(
            Self.decisions,
            labels: [request.serviceName, request.routeName, policy, decision],
            on: request.eventLoop
        )
    }
}
