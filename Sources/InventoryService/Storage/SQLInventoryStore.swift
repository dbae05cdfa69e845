import Foundation
import JWT
import ServiceKit

/// `InventoryStore` on a `SQLDatabase` (PostgreSQL, MySQL or SQLite), with the statements of `InventorySQL`.
///
/// No oversell: a reservation reads the stock of its products with the rows locked (PostgreSQL's and MySQL's
/// `FOR UPDATE`, in SKU and warehouse order; SQLite runs one writer at a time), plans from those counts, and raises
/// `reserved` in the same transaction, so concurrent reservations take turns on the units they share.
public struct SQLInventoryStore: InventoryStore {
    /// The database.
    public let database: any SQLDatabase
    let sql: InventorySQL

    /// A store on `database`; call `migrate()` before use.
    public init(database: any SQLDatabase) {
        self.database = database
        self.sql = InventorySQL(dialect: database.dialect)
    }

    /// Applies the service's migrations.
    public func migrate() async throws {
        try await MigrationRunner.migrate(self.database, migrations: InventoryMigrations.all)
    }

    public func ping() async throws {
        try await self.database.ping()
    }

    // MARK: Products and warehouses

    public func createProduct(_ product: Product) async throws {
        do {
            try await self.database.query(self.sql.insertProduct(try Self.values(of: product)))
        } catch let error as SQLError where error.code == .uniqueViolation {
            throw InventoryStoreError.productExists
        }
    }

    public func product(sku: String) async throws -> Product? {
        try await self.database.first(self.sql.product(sku: sku)).map(Self.product)
    }

    public func products(after afterSKU: String?, limit: Int) async throws -> [Product] {
        try await self.database.query(self.sql.products(after: afterSKU, limit: limit)).map(Self.product)
    }

    public func updateProduct(_ product: Product) async throws -> Bool {
        let statements = self.sql.updateProduct(try Self.values(of: product))
        return !(try await self.database.transaction { try await $0.query(statements) }.isEmpty)
    }

    public func createWarehouse(_ warehouse: Warehouse) async throws {
        do {
            try await self.database.query(self.sql.insertWarehouse(warehouse))
        } catch let error as SQLError where error.code == .uniqueViolation {
            throw InventoryStoreError.warehouseExists
        }
    }

    public func warehouse(code: String) async throws -> Warehouse? {
        try await self.database.first(self.sql.warehouse(code: code)).map(Self.warehouse)
    }

    public func warehouses(after afterCode: String?, limit: Int) async throws -> [Warehouse] {
        try await self.database.query(self.sql.warehouses(after: afterCode, limit: limit)).map(Self.warehouse)
    }

    // MARK: Rows

    static func values(of product: Product) throws -> [SQLValue] {
        [
            .text(product.sku), .text(product.name), .integer(product.price), .text(product.currency),
            .text(String(decoding: try JSONEncoder().encode(product.attributes), as: UTF8.self)),
            .integer(Timestamp.milliseconds(product.createdAt)), .integer(Timestamp.milliseconds(product.updatedAt)),
        ]
    }

    static func values(of reservation: Reservation) throws -> [SQLValue] {
        [
            .text(reservation.id), .text(reservation.orderId), .text(reservation.status.rawValue),
            .text(reservation.strategy.rawValue),
            .text(String(decoding: try JSONEncoder().encode(reservation.items), as: UTF8.self)),
            .integer(Timestamp.milliseconds(reservation.expiresAt)),
            .integer(Timestamp.milliseconds(reservation.createdAt)),
            .integer(Timestamp.milliseconds(reservation.updatedAt)),
        ]
    }

    static func product(_ row: SQLRow) throws -> Product {
        Product(
            sku: try row.text("sku"), name: try row.text("name"), price: try row.integer("price"),
            currency: try row.text("currency"),
            attributes: try JSONDecoder().decode([String: JSONValue].self, from: Data(try row.text("attributes").utf8)),
            createdAt: Timestamp.date(milliseconds: try row.integer("created_at")),
            updatedAt: Timestamp.date(milliseconds: try row.integer("updated_at")))
    }

    static func warehouse(_ row: SQLRow) throws -> Warehouse {
        Warehouse(
            code: try row.text("code"), name: try row.text("name"), location: try row.text("location"),
            createdAt: Timestamp.date(milliseconds: try row.integer("created_at")))
    }

    static func level(_ row: SQLRow) throws -> StockLevel {
        StockLevel(
            sku: try row.text("sku"), warehouse: try row.text("warehouse"), onHand: try row.integer("on_hand"),
            reserved: try row.integer("reserved"))
    }

    static func ledgerEntry(_ row: SQLRow) throws -> LedgerEntry {
        guard let reason = StockChangeReason(rawValue: try row.text("reason")) else {
            throw SQLError.unexpectedValue(column: "reason")
        }
        return LedgerEntry(
            id: try row.integer("seq"), sku: try row.text("sku"), warehouse: try row.text("warehouse"),
            onHandChange: try row.integer("on_hand_change"), reservedChange: try row.integer("reserved_change"),
            onHand: try row.integer("on_hand"), reserved: try row.integer("reserved"), reason: reason,
            reference: row["reference"].text, createdAt: Timestamp.date(milliseconds: try row.integer("created_at")))
    }
}
