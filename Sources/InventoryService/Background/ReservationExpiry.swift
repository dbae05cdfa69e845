import Foundation
import Logging

/// Releases reservations not committed within `RESERVATION_TTL`: each pass expires every held reservation whose
/// expiry has passed (in batches), returning its units.
public struct ReservationExpiry: Sendable {
    let store: any InventoryStore
    let logger: Logger
    let now: @Sendable () -> Date

    /// Expiry on `store`, with the clock `now`.
    public init(store: any InventoryStore, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.logger = logger
        self.now = now
    }

    /// One pass; returns the ids expired.
    @discardableResult
    public func expireDue(batchSize: Int = 100) async throws -> [String] {
        var expired: [String] = []
        while true {
            let batch = try await self.store.expireReservations(now: self.now(), limit: batchSize)
            expired += batch
            if batch.count < batchSize { break }
        }
        for id in expired { self.logger.info("reservation expired", metadata: ["reservation_id": "\(id)"]) }
        return expired
    }

    /// A pass whose failure is logged: for `PeriodicService`.
    func passLogged() async {
        do {
            try await self.expireDue()
        } catch {
            self.logger.error("reservation expiry failed", metadata: ["error": "\(error)"])
        }
    }
}
