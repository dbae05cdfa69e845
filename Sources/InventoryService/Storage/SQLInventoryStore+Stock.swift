import Foundation
import ServiceKit

/// Stock levels and their ledger: every change of a level goes through `change`, which writes its entry.
extension SQLInventoryStore {
    public func stock(sku: String) async throws -> [StockLevel] {
        try await self.database.query(self.sql.stock(sku: sku)).map(Self.level)
    }

    public func adjustStock(
        sku: String, warehouse: String, quantity: Int64, reason: StockChangeReason, reference: String?, now: Date
    ) async throws -> LedgerEntry {
        try await self.database.transaction { transaction in
            try await self.adjust(
                sku: sku, warehouse: warehouse, quantity: quantity, reason: reason, reference: reference, now: now,
                in: transaction)
        }
    }

    public func ledger(sku: String?, warehouse: String?, after afterID: Int64?, limit: Int) async throws
        -> [LedgerEntry]
    {
        try await self.database.query(self.sql.ledger(sku: sku, warehouse: warehouse, after: afterID, limit: limit))
            .map(Self.ledgerEntry)
    }

    public func ledgerEntry(id: Int64) async throws -> LedgerEntry? {
        try await self.database.first(self.sql.ledgerEntry(seq: id)).map(Self.ledgerEntry)
    }

    /// Adds `quantity` to `on_hand` of a level (made at zero when missing), refusing to go below `reserved`.
    func adjust(
        sku: String, warehouse: String, quantity: Int64, reason: StockChangeReason, reference: String?, now: Date,
        in transaction: any SQLExecutor
    ) async throws -> LedgerEntry {
        guard try await transaction.first(self.sql.product(sku: sku)) != nil else {
            throw InventoryStoreError.unknownProduct(sku)
        }
        guard try await transaction.first(self.sql.warehouse(code: warehouse)) != nil else {
            throw InventoryStoreError.unknownWarehouse(warehouse)
        }
        let level = try await self.lockedLevel(sku: sku, warehouse: warehouse, now: now, in: transaction)
        guard level.onHand + quantity >= level.reserved else {
            throw InventoryStoreError.belowReserved(onHand: level.onHand, reserved: level.reserved)
        }
        return try await self.change(
            sku: sku, warehouse: warehouse, onHand: quantity, reserved: 0, reason: reason, reference: reference,
            now: now, in: transaction)
    }

    /// The level of `sku` in `warehouse`, made at zero when missing, locked for the transaction.
    func lockedLevel(sku: String, warehouse: String, now: Date, in transaction: any SQLExecutor) async throws
        -> StockLevel
    {
        try await transaction.query(
            self.sql.ensureLevel(sku: sku, warehouse: warehouse, now: Timestamp.milliseconds(now)))
        guard let row = try await transaction.first(self.sql.lockLevel(sku: sku, warehouse: warehouse)) else {
            throw SQLError(.other, detail: "the stock level just made is missing")
        }
        return StockLevel(
            sku: sku, warehouse: warehouse, onHand: try row.integer("on_hand"), reserved: try row.integer("reserved"))
    }

    /// Changes a level by the given amounts and writes the ledger entry: every change of stock goes through here.
    func change(
        sku: String, warehouse: String, onHand: Int64, reserved: Int64, reason: StockChangeReason,
        reference: String?, now: Date, in transaction: any SQLExecutor
    ) async throws -> LedgerEntry {
        let time = Timestamp.milliseconds(now)
        guard
            let level = try await transaction.query(
                self.sql.changeLevel(sku: sku, warehouse: warehouse, onHand: onHand, reserved: reserved, now: time)
            ).first
        else { throw SQLError(.other, detail: "no stock level for \(sku) in \(warehouse)") }
        var entry = LedgerEntry(
            id: 0, sku: sku, warehouse: warehouse, onHandChange: onHand, reservedChange: reserved,
            onHand: try level.integer("on_hand"), reserved: try level.integer("reserved"), reason: reason,
            reference: reference, createdAt: Timestamp.date(milliseconds: time))
        let inserted = try await transaction.query(
            self.sql.insertLedgerEntry([
                .text(sku), .text(warehouse), .integer(onHand), .integer(reserved), .integer(entry.onHand),
                .integer(entry.reserved), .text(reason.rawValue), SQLValue(reference), .integer(time),
            ])
        ).first
        entry.id = try inserted?.integer("seq") ?? 0
        return entry
    }

    public func synchronise(levels: [WMSStockLevel], now: Date) async throws -> [LedgerEntry] {
        let ordered = levels.sorted { ($0.sku, $0.warehouse) < ($1.sku, $1.warehouse) }
        return try await self.database.transaction { transaction in
            var entries: [LedgerEntry] = []
            for reported in ordered {
                guard try await transaction.first(self.sql.product(sku: reported.sku)) != nil,
                    try await transaction.first(self.sql.warehouse(code: reported.warehouse)) != nil
                else { continue }
                let level = try await self.lockedLevel(
                    sku: reported.sku, warehouse: reported.warehouse, now: now, in: transaction)
                let target = max(reported.onHand, level.reserved)
                guard target != level.onHand else { continue }
                entries.append(
                    try await self.change(
                        sku: reported.sku, warehouse: reported.warehouse, onHand: target - level.onHand, reserved: 0,
                        reason: .wmsSync, reference: nil, now: now, in: transaction))
            }
            return entries
        }
    }
}
