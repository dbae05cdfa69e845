import Foundation
import ServiceKit

/// The WMS's events (applied once each) and the fulfilment requests queued for it.
extension SQLInventoryStore {
    public func applyWMSEvent(id eventID: String, type: String, effect: WMSEventEffect, now: Date) async throws
        -> Bool
    {
        do {
            return try await self.database.transaction { transaction in
                try await transaction.query(
                    self.sql.insertWMSEvent(id: eventID, type: type, now: Timestamp.milliseconds(now)))
                switch effect {
                case .received(let sku, let warehouse, let quantity):
                    _ = try await self.adjust(
                        sku: sku, warehouse: warehouse, quantity: quantity, reason: .receipt, reference: eventID,
                        now: now, in: transaction)
                case .dispatched(let reservationID):
                    try await self.dispatch(reservationID: reservationID, now: now, in: transaction)
                case .delivered(let reservationID):
                    guard let reservation = try await self.reservation(id: reservationID, lock: false, in: transaction)
                    else { throw InventoryStoreError.reservationNotFound }
                    try await self.announce("shipment.delivered", reservation, in: transaction)
                }
                return true
            }
        } catch let error as SQLError where error.code == .uniqueViolation {
            return false
        }
    }

    /// Commits the reservation when it is held (whatever its expiry: the goods have left) and announces
    /// `shipment.dispatched`.
    func dispatch(reservationID: String, now: Date, in transaction: any SQLExecutor) async throws {
        guard var reservation = try await self.reservation(id: reservationID, lock: true, in: transaction) else {
            throw InventoryStoreError.reservationNotFound
        }
        switch reservation.status {
        case .released, .expired:
            throw InventoryStoreError.reservationClosed(reservation.status)
        case .committed:
            break
        case .held:
            reservation = try await self.commitHeld(reservation, now: now, in: transaction)
        }
        try await self.announce("shipment.dispatched", reservation, in: transaction)
    }

    public func dueFulfilments(now: Date, limit: Int) async throws -> [FulfilmentRequest] {
        try await self.database.query(self.sql.dueFulfilments(now: Timestamp.milliseconds(now), limit: limit)).map {
            row in
            var request = try JSONDecoder().decode(FulfilmentRequest.self, from: Data(try row.text("body").utf8))
            request.attempts = Int(try row.integer("attempts"))
            return request
        }
    }

    public func fulfilmentSent(reservationID: String, now: Date) async throws {
        try await self.database.query(
            self.sql.fulfilmentSent(reservationID: reservationID, now: Timestamp.milliseconds(now)))
    }

    public func fulfilmentFailed(reservationID: String, nextAttempt: Date) async throws {
        try await self.database.query(
            self.sql.fulfilmentFailed(reservationID: reservationID, nextAttempt: Timestamp.milliseconds(nextAttempt)))
    }
}
