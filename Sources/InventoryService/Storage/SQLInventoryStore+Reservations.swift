import Foundation
import ServiceKit

/// Reservations: reserve, commit, release, expire.
extension SQLInventoryStore {
    public func reserve(_ request: ReservationRequest, id: String, now: Date, expiresAt: Date) async throws
        -> ReservationOutcome
    {
        do {
            return try await self.database.transaction { transaction in
                if let existing = try await self.reservation(orderID: request.orderID, in: transaction) {
                    return try Self.repeated(request, existing)
                }
                let skus = request.items.map(\.sku)
                let known = Set(try await transaction.query(self.sql.existingSKUs(skus)).map { try $0.text("sku") })
                let unknown = skus.filter { !known.contains($0) }
                guard unknown.isEmpty else { throw InventoryStoreError.unknownProducts(unknown) }
                var available: [String: [String: Int64]] = [:]
                for row in try await transaction.query(self.sql.lockStock(skus: skus)) {
                    let level = try Self.level(row)
                    available[level.sku, default: [:]][level.warehouse] = level.available
                }
                let allocations: [Allocation]
                switch AllocationPlanner.plan(items: request.items, available: available, strategy: request.strategy) {
                case .success(let planned): allocations = planned
                case .failure(let refusal): throw InventoryStoreError.refused(refusal)
                }
                let reservation = Reservation(
                    id: id, orderId: request.orderID, status: .held, strategy: request.strategy, items: request.items,
                    allocations: allocations, expiresAt: expiresAt, createdAt: now, updatedAt: now)
                try await transaction.query(self.sql.insertReservation(try Self.values(of: reservation)))
                for allocation in allocations.sorted(by: Self.lockOrder) {
                    try await transaction.query(self.sql.insertAllocation(reservationID: id, allocation))
                    _ = try await self.change(
                        sku: allocation.sku, warehouse: allocation.warehouse, onHand: 0, reserved: allocation.quantity,
                        reason: .reservation, reference: id, now: now, in: transaction)
                }
                return .created(reservation)
            }
        } catch let error as SQLError where error.code == .uniqueViolation {
            // Another request for the same order committed first.
            guard let existing = try await self.reservation(orderID: request.orderID, in: self.database) else {
                throw error
            }
            return try Self.repeated(request, existing)
        }
    }

    public func reservation(id: String) async throws -> Reservation? {
        try await self.reservation(id: id, lock: false, in: self.database)
    }

    public func commitReservation(id: String, now: Date, requestFulfilment: Bool) async throws -> Reservation {
        let (reservation, refusal) = try await self.database.transaction {
            transaction -> (Reservation, InventoryStoreError?) in
            guard let reservation = try await self.reservation(id: id, lock: true, in: transaction) else {
                throw InventoryStoreError.reservationNotFound
            }
            switch reservation.status {
            case .committed:
                return (reservation, nil)
            case .released, .expired:
                throw InventoryStoreError.reservationClosed(reservation.status)
            case .held where reservation.expiresAt <= now:
                // Expired before the sweep found it: expire it now (kept), and refuse.
                return (
                    try await self.close(reservation, as: .expired, now: now, in: transaction),
                    .reservationClosed(.expired)
                )
            case .held:
                let committed = try await self.commitHeld(reservation, now: now, in: transaction)
                if requestFulfilment {
                    let request = FulfilmentRequest(
                        reservationId: committed.id, orderId: committed.orderId, allocations: committed.allocations)
                    let body = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
                    try await transaction.query(
                        self.sql.insertFulfilment(reservationID: id, body: body, now: Timestamp.milliseconds(now)))
                }
                return (committed, nil)
            }
        }
        if let refusal { throw refusal }
        return reservation
    }

    /// Takes a held reservation's units out of the stock (`on_hand` and `reserved` down) and marks it committed.
    func commitHeld(_ reservation: Reservation, now: Date, in transaction: any SQLExecutor) async throws
        -> Reservation
    {
        for allocation in reservation.allocations {
            _ = try await self.change(
                sku: allocation.sku, warehouse: allocation.warehouse, onHand: -allocation.quantity,
                reserved: -allocation.quantity, reason: .commit, reference: reservation.id, now: now, in: transaction)
        }
        try await transaction.query(
            self.sql.setReservationStatus(id: reservation.id, status: .committed, now: Timestamp.milliseconds(now)))
        var committed = reservation
        committed.status = .committed
        committed.updatedAt = now
        return committed
    }

    public func releaseReservation(id: String, now: Date) async throws -> Reservation {
        try await self.database.transaction { transaction in
            guard let reservation = try await self.reservation(id: id, lock: true, in: transaction) else {
                throw InventoryStoreError.reservationNotFound
            }
            switch reservation.status {
            case .released, .expired: return reservation
            case .committed: throw InventoryStoreError.reservationClosed(.committed)
            case .held: return try await self.close(reservation, as: .released, now: now, in: transaction)
            }
        }
    }

    public func expireReservations(now: Date, limit: Int) async throws -> [String] {
        let candidates = try await self.database.query(
            self.sql.expiredReservations(now: Timestamp.milliseconds(now), limit: limit)
        ).map { try $0.text("id") }
        var expired: [String] = []
        for id in candidates {
            let closed = try await self.database.transaction { transaction -> Bool in
                // Committed or released meanwhile: nothing to do.
                guard let reservation = try await self.reservation(id: id, lock: true, in: transaction),
                    reservation.status == .held, reservation.expiresAt <= now
                else { return false }
                _ = try await self.close(reservation, as: .expired, now: now, in: transaction)
                return true
            }
            if closed { expired.append(id) }
        }
        return expired
    }

    /// Returns a held reservation's units (`reserved` down) and sets its status.
    func close(
        _ reservation: Reservation, as status: ReservationStatus, now: Date, in transaction: any SQLExecutor
    ) async throws -> Reservation {
        for allocation in reservation.allocations {
            _ = try await self.change(
                sku: allocation.sku, warehouse: allocation.warehouse, onHand: 0, reserved: -allocation.quantity,
                reason: .release, reference: reservation.id, now: now, in: transaction)
        }
        try await transaction.query(
            self.sql.setReservationStatus(id: reservation.id, status: status, now: Timestamp.milliseconds(now)))
        var closed = reservation
        closed.status = status
        closed.updatedAt = now
        return closed
    }

    /// Adds the event `type` with `{order_id, reservation_id}` to the outbox.
    func announce(_ type: String, _ reservation: Reservation, in transaction: any SQLExecutor) async throws {
        let event = EventEnvelope(
            type: type,
            data: ["order_id": .string(reservation.orderId), "reservation_id": .string(reservation.id)])
        try await Outbox.enqueue(event, in: transaction)
    }

    func reservation(id: String, lock: Bool, in executor: any SQLExecutor) async throws -> Reservation? {
        guard let row = try await executor.first(self.sql.reservation(id: id, lock: lock)) else { return nil }
        return try await self.reservation(row, in: executor)
    }

    func reservation(orderID: String, in executor: any SQLExecutor) async throws -> Reservation? {
        guard let row = try await executor.first(self.sql.reservation(orderID: orderID)) else { return nil }
        return try await self.reservation(row, in: executor)
    }

    func reservation(_ row: SQLRow, in executor: any SQLExecutor) async throws -> Reservation {
        let id = try row.text("id")
        guard let status = ReservationStatus(rawValue: try row.text("status")) else {
            throw SQLError.unexpectedValue(column: "status")
        }
        guard let strategy = AllocationStrategy(rawValue: try row.text("strategy")) else {
            throw SQLError.unexpectedValue(column: "strategy")
        }
        let allocations = try await executor.query(self.sql.allocations(reservationID: id)).map { row in
            Allocation(
                sku: try row.text("sku"), warehouse: try row.text("warehouse"), quantity: try row.integer("quantity"))
        }
        return Reservation(
            id: id, orderId: try row.text("order_id"), status: status, strategy: strategy,
            items: try JSONDecoder().decode([ReservationItem].self, from: Data(try row.text("items").utf8)),
            allocations: allocations, expiresAt: Timestamp.date(milliseconds: try row.integer("expires_at")),
            createdAt: Timestamp.date(milliseconds: try row.integer("created_at")),
            updatedAt: Timestamp.date(milliseconds: try row.integer("updated_at")))
    }

    /// The existing reservation for a repeated request, or `.orderMismatch` when the request differs.
    static func repeated(_ request: ReservationRequest, _ existing: Reservation) throws -> ReservationOutcome {
        guard existing.items == request.items, existing.strategy == request.strategy else {
            throw InventoryStoreError.orderMismatch(existing)
        }
        return .existing(existing)
    }

    static func lockOrder(_ first: Allocation, _ second: Allocation) -> Bool {
        (first.sku, first.warehouse) < (second.sku, second.warehouse)
    }
}
