import Foundation

/// Why the stock changed, as the ledger records it.
public enum StockChangeReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Goods arrived (an adjustment, or the WMS's `stock.received`).
    case receipt
    /// A count corrected.
    case correction
    /// Goods damaged and written off.
    case damage
    /// A reservation took units (`reserved` up).
    case reservation
    /// A reservation was released, by request or because it expired (`reserved` down).
    case release
    /// A reservation was committed: its units left (`on_hand` and `reserved` down).
    case commit
    /// The WMS reported another count.
    case wmsSync = "wms_sync"

    /// The reasons an adjustment may give.
    public static let adjustments: [StockChangeReason] = [.receipt, .correction, .damage]
}

/// One change of one stock level: `{"id", "sku", "warehouse", "on_hand_change", "reserved_change", "on_hand",
/// "reserved", "reason", "reference", "created_at"}`; `on_hand` and `reserved` are the level after the change, and
/// `reference` names what caused it (a reservation id, a WMS event id).
public struct LedgerEntry: Sendable, Hashable, Encodable {
    /// Increasing with every change.
    public var id: Int64
    /// The product.
    public var sku: String
    /// The warehouse's code.
    public var warehouse: String
    /// How `on_hand` changed (signed).
    public var onHandChange: Int64
    /// How `reserved` changed (signed).
    public var reservedChange: Int64
    /// `on_hand` after the change.
    public var onHand: Int64
    /// `reserved` after the change.
    public var reserved: Int64
    /// Why.
    public var reason: StockChangeReason
    /// What caused it, when something did.
    public var reference: String?
    /// When.
    public var createdAt: Date

    private enum CodingKeys: String, CodingKey {
        case id, sku, warehouse, onHandChange, reservedChange, onHand, reserved, reason, reference, createdAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(self.id), forKey: .id)
        try container.encode(self.sku, forKey: .sku)
        try container.encode(self.warehouse, forKey: .warehouse)
        try container.encode(self.onHandChange, forKey: .onHandChange)
        try container.encode(self.reservedChange, forKey: .reservedChange)
        try container.encode(self.onHand, forKey: .onHand)
        try container.encode(self.reserved, forKey: .reserved)
        try container.encode(self.reason, forKey: .reason)
        try container.encode(self.reference, forKey: .reference)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
