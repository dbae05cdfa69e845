import Atomics
import Gateway
import Logging
import NIOCore
import Redis

/// The `redis` policy's counters: one client per Redis (a shared resource, kept across reloads, closed when the
/// gateway stops), and one script that decides and counts a request in all its windows in one round trip.
///
/// Redis runs a script atomically, so however many gateways count the same key, each request sees the counts of
/// the requests before it: with a limit of L, exactly L are admitted. A refused request counts in no window, so it
/// never uses up another window's quota.
final class RedisCounterStore: SharedResource {
    /// `KEYS`: for each window, its counter, then (sliding windows only) the previous window's.
    /// `ARGV[1]`: how many windows; then for each window: its limit, the weight of the previous window's count in
    /// millionths (-1: a fixed window, no previous counter), and the milliseconds its counter must live.
    /// Returns `{admitted (1 or 0), current 1, previous 1, current 2, previous 2, ...}` as they were before the
    /// request. Counts are Lua numbers (doubles): exact while previous count x weight stays below 2^53.
    static let script = RedisScript(
        """
        local windows = tonumber(ARGV[1])
        local counts = {}
        local admitted = 1
        local key = 1
        for i = 1, windows do
            local limit, weight = tonumber(ARGV[i * 3 - 1]), tonumber(ARGV[i * 3])
            local current = tonumber(redis.call('GET', KEYS[key]) or 0)
            local previous = 0
            if weight >= 0 then
                previous = tonumber(redis.call('GET', KEYS[key + 1]) or 0)
            end
            if current + math.ceil(previous * math.max(weight, 0) / 1000000) >= limit then
                admitted = 0
            end
            counts[i * 2 - 1] = current
            counts[i * 2] = previous
            key = key + (weight >= 0 and 2 or 1)
        end
        if admitted == 1 then
            key = 1
            for i = 1, windows do
                if redis.call('INCR', KEYS[key]) == 1 then
                    redis.call('PEXPIRE', KEYS[key], ARGV[i * 3 + 1])
                end
                key = key + (tonumber(ARGV[i * 3]) >= 0 and 2 or 1)
            end
        end
        table.insert(counts, 1, admitted)
        return counts
        """
    )

    let client: RedisClient
    private let logger: Logger
    /// The second of the last failure logged: failures are logged at most once a second.
    private let lastLoggedFailure = ManagedAtomic<Int64>(.min)

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.client = RedisClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.logger = logger
    }

    /// Decides and counts a request whose counters are named by `prefix`, in one round trip. The future completes
    /// on `eventLoop`, and fails with a `RedisError` or `RedisCounterStore.UnexpectedReply`.
    func hit(
        _ prefix: String,
        windows: [RateLimitWindow],
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<RateLimitDecision> {
        var keys: [RedisArgument] = []
        var arguments = [RedisArgument(windows.count)]
        for window in windows {
            let counter = "\(prefix):\(window.period.name):"
            keys.append(RedisArgument(counter + String(window.start)))
            if window.isSliding { keys.append(RedisArgument(counter + String(window.previousStart))) }
            let lifetime = max(1, window.counterExpiry * 1_000 - Int64((window.now * 1_000).rounded(.down)))
            arguments += [
                RedisArgument(window.limit), RedisArgument(window.isSliding ? window.previousWeight : -1),
                RedisArgument(lifetime),
            ]
        }
        return self.client.run(Self.script, keys: keys, arguments: arguments, on: eventLoop).flatMapThrowing { reply in
            guard let values = reply.elements?.compactMap(\.int), values.count == 1 + 2 * windows.count else {
                throw UnexpectedReply(reply: reply)
            }
            let counts = windows.indices.map { (current: values[1 + 2 * $0], previous: values[2 + 2 * $0]) }
            return RateLimitDecision(windows: windows, counts: counts, admitted: values[0] == 1)
        }
    }

    /// Logs that counting failed, at most once a second (a Redis that is down fails every request).
    func logFailure(_ error: any Error, at now: Double, letThrough: Bool) {
        let second = Int64(now.rounded(.down))
        let last = self.lastLoggedFailure.load(ordering: .relaxed)
        guard second > last,
            self.lastLoggedFailure.compareExchange(expected: last, desired: second, ordering: .relaxed).exchanged
        else { return }
        self.logger.error(
            "rate-limiting cannot count in Redis",
            metadata: [
                "redis": "\(self.client.configuration)", "error": "\(error)",
                "requests": letThrough ? "let through (fault_tolerant)" : "answered 500",
            ]
        )
    }

    func close() async {
        await self.client.close()
    }

    /// The script answered something it never answers (another program uses the keys?).
    struct UnexpectedReply: Error, CustomStringConvertible {
        let reply: RedisReply

        var description: String { "unexpected reply from the rate-limiting script: \(self.reply)" }
    }
}
