import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

/// Checks an email and password, for the password grant and the login page, under the login throttle: a locked
/// account or address is refused before any hashing, a slowed one waits first (without holding a thread), and an
/// unknown email costs the same argon2id work as a known one so that timing does not tell which exist.
struct PasswordLogin: Sendable {
    enum Failure: Error, Equatable {
        /// Wrong email or password.
        case invalidCredentials
        /// Too many failures: try again after this long.
        case locked(retryAfter: Duration)
    }

    let store: any UserStore
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    /// A hash of a random password, verified when the email is unknown.
    let decoyHash: String

    /// The user whose `email` and `password` these are, logging in from `address`.
    ///
    /// - Throws: `Failure`.
    func authenticate(email: String, password: String, address: String, logger: Logger) async throws -> UserRecord {
        let account = EmailAddress.normalise(email) ?? email.lowercased()
        switch try await self.throttle.check(account: account, address: address) {
        case .locked(let retryAfter):
            logger.warning("login refused: too many failures", metadata: ["address": "\(address)"])
            throw Failure.locked(retryAfter: retryAfter)
        case .proceed(let delay):
            if delay > .zero { try await Task.sleep(for: delay) }
        }
        let user = try await self.store.user(email: account)
        let matches = try await self.hasher.verify(password, against: user?.passwordHash ?? self.decoyHash)
        guard let user, matches else {
            try await self.throttle.recordFailure(account: account, address: address)
            throw Failure.invalidCredentials
        }
        try await self.throttle.recordSuccess(account: account)
        if self.hasher.needsRehash(user.passwordHash) {
            var upgraded = user
            upgraded.passwordHash = try await self.hasher.hash(password)
            _ = try await self.store.updateUser(upgraded)
        }
        return user
    }

    /// The client's address: the peer's, or, when the peer is on loopback (the gateway beside the service), the
    /// last address of its `X-Forwarded-For`, which the gateway appended.
    static func clientAddress(_ request: Request, context: ServiceRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        let isLoopback = peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.")
        if isLoopback, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return peer
    }
}
