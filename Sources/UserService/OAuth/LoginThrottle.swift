/// Slows and then locks password guessing, per account and per client address: failures are counted in a window
/// (from the first failure); past `slowAfter` each attempt waits first (doubling, up to `maximumDelay`), and past
/// `lockAfter` attempts are refused until the window ends. An address gets higher limits than an account, since
/// many people may share one. A successful login clears its account's count.
public struct LoginThrottle: Sendable {
    /// The limits.
    public struct Policy: Sendable, Hashable {
        /// Failures of one account before attempts are slowed.
        public var accountSlowAfter: Int
        /// Failures of one account before it is locked for the rest of the window.
        public var accountLockAfter: Int
        /// Failures from one address before attempts are slowed.
        public var addressSlowAfter: Int
        /// Failures from one address before it is locked for the rest of the window.
        public var addressLockAfter: Int
        /// How long failures are counted (and a lock lasts at most).
        public var window: Duration
        /// The first delay once slowed; it doubles with each further failure.
        public var baseDelay: Duration
        /// The longest delay.
        public var maximumDelay: Duration

        /// Limits from their values.
        public init(
            accountSlowAfter: Int, accountLockAfter: Int, addressSlowAfter: Int, addressLockAfter: Int,
            window: Duration, baseDelay: Duration, maximumDelay: Duration
        ) {
            self.accountSlowAfter = accountSlowAfter
            self.accountLockAfter = accountLockAfter
            self.addressSlowAfter = addressSlowAfter
            self.addressLockAfter = addressLockAfter
            self.window = window
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
        }

        /// 5 failures of an account (50 of an address) slow it from 0.5 s doubling to 8 s; 10 (200) lock it for
        /// the rest of a 15-minute window.
        public static let standard = Policy(
            accountSlowAfter: 5, accountLockAfter: 10, addressSlowAfter: 50, addressLockAfter: 200,
            window: .seconds(900), baseDelay: .milliseconds(500), maximumDelay: .seconds(8))
    }

    /// What an attempt may do.
    public enum Decision: Sendable, Hashable {
        /// Go ahead, after waiting `delay`.
        case proceed(delay: Duration)
        /// Refused: too many failures; try again after `retryAfter`.
        case locked(retryAfter: Duration)
    }

    let sessions: any SessionStore
    let policy: Policy

    /// A throttle counting in `sessions` under `policy`.
    public init(sessions: any SessionStore, policy: Policy) {
        self.sessions = sessions
        self.policy = policy
    }

    /// What an attempt to log in to `account` from `address` may do.
    func check(account: String, address: String) async throws -> Decision {
        let counts = try await self.sessions.loginFailures(keys: Self.keys(account: account, address: address))
        return self.decision(account: counts[0], address: counts[1])
    }

    /// Counts a failed attempt.
    func recordFailure(account: String, address: String) async throws {
        _ = try await self.sessions.recordLoginFailure(
            keys: Self.keys(account: account, address: address), window: self.policy.window)
    }

    /// Clears the account's failures after a successful login.
    func recordSuccess(account: String) async throws {
        try await self.sessions.clearLoginFailures(key: "account:" + account)
    }

    /// The decision for these failure counts.
    public func decision(account: Int, address: Int) -> Decision {
        if account >= self.policy.accountLockAfter || address >= self.policy.addressLockAfter {
            return .locked(retryAfter: self.policy.window)
        }
        let excess = max(account - self.policy.accountSlowAfter, address - self.policy.addressSlowAfter)
        guard excess >= 0 else { return .proceed(delay: .zero) }
        let delay = self.policy.baseDelay * (1 << min(excess, 16))
        return .proceed(delay: min(delay, self.policy.maximumDelay))
    }

    private static func keys(account: String, address: String) -> [String] {
        ["account:" + account, "address:" + address]
    }
}
