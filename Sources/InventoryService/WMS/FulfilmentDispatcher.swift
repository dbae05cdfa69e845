import Foundation
import Logging
import ServiceKit

/// Sends the fulfilment requests that commits queued (in their own transaction) to the WMS. A request the WMS
/// does not take (after the client's retries, or while its breaker is open) stays queued and is tried again after
/// a backoff that grows with its failed attempts, so none is lost. Runs in a `PeriodicService`, woken after each
/// commit.
public struct FulfilmentDispatcher: Sendable {
    let store: any InventoryStore
    let client: WMSClient
    let backoff: RetryPolicy
    let logger: Logger
    let now: @Sendable () -> Date

    /// A dispatcher from `store` to `client`; a failed request waits `backoff`'s delay for its attempt count (the
    /// policy's attempt limit is not used: requests are kept until taken).
    public init(
        store: any InventoryStore, client: WMSClient,
        backoff: RetryPolicy = RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(5), maximumDelay: .seconds(300)),
        logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.client = client
        self.backoff = backoff
        self.logger = logger
        self.now = now
    }

    /// Sends every due request once; returns how many the WMS took.
    @discardableResult
    public func dispatchDue(limit: Int = 100) async throws -> Int {
        var sent = 0
        for request in try await self.store.dueFulfilments(now: self.now(), limit: limit) {
            do {
                try await self.client.requestFulfilment(request)
            } catch {
                let delay = self.backoff.delay(afterAttempt: request.attempts + 1)
                try await self.store.fulfilmentFailed(
                    reservationID: request.reservationId, nextAttempt: self.now().addingTimeInterval(delay.seconds))
                self.logger.warning(
                    "fulfilment request not taken; will retry",
                    metadata: [
                        "reservation_id": "\(request.reservationId)", "attempts": "\(request.attempts + 1)",
                        "error": "\(error)",
                    ])
                continue
            }
            try await self.store.fulfilmentSent(reservationID: request.reservationId, now: self.now())
            self.logger.info("fulfilment requested", metadata: ["reservation_id": "\(request.reservationId)"])
            sent += 1
        }
        return sent
    }

    /// A pass whose failure is logged: for `PeriodicService`.
    func passLogged() async {
        do {
            try await self.dispatchDue()
        } catch {
            self.logger.error("fulfilment dispatch failed", metadata: ["error": "\(error)"])
        }
    }
}
