import Foundation
import ServiceKit

/// What the inventory service keeps: products, warehouses, stock levels with their ledger, reservations, the WMS's
/// events seen and the fulfilment requests to send. The routes see only this protocol; `SQLInventoryStore` runs it
/// on PostgreSQL, MySQL and SQLite, with every SQL text in `InventorySQL`, so another database is one more dialect
/// there.
public protocol InventoryStore: Sendable {
    /// Adds a product.
    ///
    /// - Throws: `InventoryStoreError.productExists` when the SKU is taken.
    func createProduct(_ product: Product) async throws

    /// The product with `sku`.
    func product(sku: String) async throws -> Product?

    /// Up to `limit` products with SKUs after `afterSKU`, by SKU.
    func products(after afterSKU: String?, limit: Int) async throws -> [Product]

    /// Replaces the product's name, price, currency and attributes; `false` when there is no such product.
    func updateProduct(_ product: Product) async throws -> Bool

    /// Adds a warehouse.
    ///
    /// - Throws: `InventoryStoreError.warehouseExists` when the code is taken.
    func createWarehouse(_ warehouse: Warehouse) async throws

    /// The warehouse with `code`.
    func warehouse(code: String) async throws -> Warehouse?

    /// Up to `limit` warehouses with codes after `afterCode`, by code.
    func warehouses(after afterCode: String?, limit: Int) async throws -> [Warehouse]

    /// The levels of `sku` in every warehouse that has held it, by warehouse code.
    func stock(sku: String) async throws -> [StockLevel]

    /// Changes `on_hand` of `sku` in `warehouse` by `quantity` and writes the ledger entry, which it returns.
    ///
    /// - Throws: `InventoryStoreError.unknownProduct` / `.unknownWarehouse`, `.belowReserved` when the change would
    ///   leave fewer units than reservations hold (or fewer than none).
    func adjustStock(
        sku: String, warehouse: String, quantity: Int64, reason: StockChangeReason, reference: String?, now: Date
    ) async throws -> LedgerEntry

    /// Up to `limit` ledger entries after entry `afterID`, oldest first, of one product and warehouse when given.
    func ledger(sku: String?, warehouse: String?, after afterID: Int64?, limit: Int) async throws -> [LedgerEntry]

    /// The ledger entry `id`.
    func ledgerEntry(id: Int64) async throws -> LedgerEntry?

    /// Reserves every item or none (see `AllocationPlanner`), as reservation `id` for `request.orderID`, held until
    /// `expiresAt`. A second request for the same order gets the first reservation back (`.existing`).
    ///
    /// - Throws: `InventoryStoreError.unknownProducts`, `.refused` when the stock does not allow it, `.orderMismatch`
    ///   when the order has a reservation for other items or another strategy.
    func reserve(_ request: ReservationRequest, id: String, now: Date, expiresAt: Date) async throws
        -> ReservationOutcome

    /// The reservation `id`.
    func reservation(id: String) async throws -> Reservation?

    /// Commits a held reservation: its units leave (`on_hand` and `reserved` down), and with `requestFulfilment` a
    /// fulfilment request for the WMS is queued in the same transaction. Committing a committed one changes
    /// nothing.
    ///
    /// - Throws: `InventoryStoreError.reservationNotFound`; `.reservationClosed` when it was released or expired
    ///   (a held one past its expiry is expired now, and refused).
    func commitReservation(id: String, now: Date, requestFulfilment: Bool) async throws -> Reservation

    /// Releases a held reservation: its units become available again. Releasing a released or expired one
    /// changes nothing.
    ///
    /// - Throws: `InventoryStoreError.reservationNotFound`; `.reservationClosed` when it was committed.
    func releaseReservation(id: String, now: Date) async throws -> Reservation

    /// Expires up to `limit` held reservations whose expiry is at or before `now`; returns their ids.
    func expireReservations(now: Date, limit: Int) async throws -> [String]

    /// Applies a WMS event once: records `eventID` and applies `effect` in one transaction; `false` (and nothing
    /// applied) when the event id was seen before.
    ///
    /// - Throws: what the effect's own operation throws (then the event is not recorded).
    func applyWMSEvent(id eventID: String, type: String, effect: WMSEventEffect, now: Date) async throws -> Bool

    /// Up to `limit` fulfilment requests not yet sent whose next attempt is due at `now`, oldest first.
    func dueFulfilments(now: Date, limit: Int) async throws -> [FulfilmentRequest]

    /// Records that the WMS accepted the fulfilment request of `reservationID`.
    func fulfilmentSent(reservationID: String, now: Date) async throws

    /// Records a failed attempt; the next one is due at `nextAttempt`.
    func fulfilmentFailed(reservationID: String, nextAttempt: Date) async throws

    /// Sets the levels the WMS reported (levels of unknown products or warehouses are skipped; a level below
    /// what reservations hold is raised to it); returns the ledger entries written.
    func synchronise(levels: [WMSStockLevel], now: Date) async throws -> [LedgerEntry]

    /// Checks that the database answers.
    func ping() async throws
}

/// `POST /reservations` as the store takes it: items merged by SKU and sorted.
public struct ReservationRequest: Sendable, Hashable {
    /// The order.
    public var orderID: String
    /// One item per SKU, by SKU.
    public var items: [ReservationItem]
    /// How warehouses are picked.
    public var strategy: AllocationStrategy

    /// A request; items naming one SKU twice are merged.
    public init(orderID: String, items: [ReservationItem], strategy: AllocationStrategy) {
        self.orderID = orderID
        var quantities: [String: Int64] = [:]
        for item in items { quantities[item.sku, default: 0] += item.quantity }
        self.items = quantities.keys.sorted().map { ReservationItem(sku: $0, quantity: quantities[$0]!) }
        self.strategy = strategy
    }
}

/// What `reserve` did.
public enum ReservationOutcome: Sendable, Hashable {
    /// A new reservation.
    case created(Reservation)
    /// The order's existing reservation (the request was a repeat).
    case existing(Reservation)
}

/// What a WMS event does to the inventory.
public enum WMSEventEffect: Sendable, Hashable {
    /// Goods arrived: `on_hand` up, reason `receipt`.
    case received(sku: String, warehouse: String, quantity: Int64)
    /// The reservation's goods left: commit it (if held) and publish `shipment.dispatched`.
    case dispatched(reservationID: String)
    /// The goods arrived at the customer: publish `shipment.delivered`.
    case delivered(reservationID: String)
}

/// A level as the WMS reports it.
public struct WMSStockLevel: Sendable, Hashable, Codable {
    /// The product.
    public var sku: String
    /// The warehouse's code.
    public var warehouse: String
    /// Units in the warehouse.
    public var onHand: Int64

    /// A level.
    public init(sku: String, warehouse: String, onHand: Int64) {
        self.sku = sku
        self.warehouse = warehouse
        self.onHand = onHand
    }

    private enum CodingKeys: String, CodingKey {
        case sku, warehouse
        case onHand = "on_hand"
    }
}

/// A fulfilment request queued for the WMS: ship these allocations for this order.
public struct FulfilmentRequest: Sendable, Hashable, Codable {
    /// The reservation committed (also the request's idempotency key).
    public var reservationId: String
    /// The order.
    public var orderId: String
    /// What to ship from where.
    public var allocations: [Allocation]
    /// Failed attempts so far (not sent to the WMS).
    public var attempts: Int = 0

    /// A request.
    public init(reservationId: String, orderId: String, allocations: [Allocation], attempts: Int = 0) {
        self.reservationId = reservationId
        self.orderId = orderId
        self.allocations = allocations
        self.attempts = attempts
    }

    private enum CodingKeys: String, CodingKey {
        case reservationId = "reservation_id"
        case orderId = "order_id"
        case allocations
    }
}

/// Refusals of the store.
public enum InventoryStoreError: Error, Sendable, Hashable {
    /// The SKU is taken.
    case productExists
    /// The warehouse code is taken.
    case warehouseExists
    /// No product has this SKU.
    case unknownProduct(String)
    /// No warehouse has this code.
    case unknownWarehouse(String)
    /// These SKUs name no product.
    case unknownProducts([String])
    /// The change would leave fewer units on hand than reserved (`on_hand`, `reserved` now).
    case belowReserved(onHand: Int64, reserved: Int64)
    /// The stock does not allow the reservation.
    case refused(AllocationPlanner.Refusal)
    /// The order has a reservation for other items or another strategy.
    case orderMismatch(Reservation)
    /// No reservation has this id.
    case reservationNotFound
    /// The reservation is closed in this status (committed, released, expired).
    case reservationClosed(ReservationStatus)
}
