/// What FCM said to each device token of the deliveries still being retried, so that a retry sends only to the
/// tokens that failed for a while and never again to one that got the message (FCM's v1 API takes no idempotency
/// key). Kept in memory by delivery id: a delivery taken over by another process after a crash starts afresh.
/// A delivery's entry goes when it finishes, or after `retention` when its retries were given up.
actor FCMDeliveryProgress {
    /// One token's answer.
    enum TokenResult: Sendable, Hashable {
        /// FCM took the message; its name (`projects/.../messages/...`).
        case sent(name: String?)
        /// FCM refused the token for good (404 `UNREGISTERED`, 400 `INVALID_ARGUMENT`, ...).
        case refused(reason: String)
    }

    private var entries: [String: (results: [String: TokenResult], updated: ContinuousClock.Instant)] = [:]
    private let retention: Duration

    /// Progress kept for `retention` after a delivery's last attempt.
    init(retention: Duration = .seconds(3600)) {
        self.retention = retention
    }

    /// The answers of delivery `id`'s earlier attempts, by token.
    func results(delivery id: String) -> [String: TokenResult] {
        let now = ContinuousClock.now
        self.entries = self.entries.filter { now - $0.value.updated < self.retention }
        return self.entries[id]?.results ?? [:]
    }

    /// Keeps `results` for delivery `id`'s next attempt.
    func keep(_ results: [String: TokenResult], delivery id: String) {
        self.entries[id] = (results, ContinuousClock.now)
    }

    /// Forgets delivery `id`: it is finished.
    func forget(delivery id: String) {
        self.entries[id] = nil
    }
}
