import Gateway
import NIOHTTP1

/// The headers Kong's rate-limiting sends the client: `X-RateLimit-Limit-<Period>` and
/// `X-RateLimit-Remaining-<Period>` for each configured window, then `RateLimit-Limit`, `RateLimit-Remaining` and
/// `RateLimit-Reset` for the window closest to its limit (the fewest remaining; of equals, the longest period), and
/// `Retry-After` on a refusal. Kept in the request's context by the access phase, sent by the response phase.
struct RateLimitHeaders: Sendable {
    enum ContextKey: PluginContextKey {
        typealias Value = RateLimitHeaders
    }

    private(set) var fields: [(name: String, value: String)] = []

    init(_ decision: RateLimitDecision) {
        var closest: RateLimitUsage?
        for usage in decision.usages {
            let suffix = usage.window.period.headerSuffix
            self.fields.append(("X-RateLimit-Limit-\(suffix)", String(usage.window.limit)))
            self.fields.append(("X-RateLimit-Remaining-\(suffix)", String(usage.remaining)))
            if let chosen = closest, chosen.remaining < usage.remaining
                || (chosen.remaining == usage.remaining && chosen.window.period > usage.window.period)
            {
                continue
            }
            closest = usage
        }
        guard let closest else { return }
        let reset = String(closest.secondsToReset)
        self.fields.append(("RateLimit-Limit", String(closest.window.limit)))
        self.fields.append(("RateLimit-Remaining", String(closest.remaining)))
        self.fields.append(("RateLimit-Reset", reset))
        if !decision.admitted { self.fields.append(("Retry-After", reset)) }
    }

    /// Sets the fields on `headers`, replacing any of the same names.
    func apply(to headers: inout HTTPHeaders) {
        for field in self.fields { headers.replaceOrAdd(name: field.name, value: field.value) }
    }
}
