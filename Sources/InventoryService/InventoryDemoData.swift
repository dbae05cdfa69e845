import Foundation

/// The embedded demo data (for `acme up`): three products in two warehouses with stock. Installed once: existing
/// products, warehouses and stock are left as they are, so calling it on every start changes nothing.
public enum InventoryDemoData {
    /// The demo warehouses.
    public static let warehouses = [
        Warehouse(
            code: "berlin", name: "Berlin", location: "Berlin, Germany", createdAt: Date(timeIntervalSince1970: 0)),
        Warehouse(code: "lyon", name: "Lyon", location: "Lyon, France", createdAt: Date(timeIntervalSince1970: 0)),
    ]

    /// The demo products.
    public static let products = [
        Product(
            sku: "ACME-TEE-M", name: "Acme T-shirt (M)", price: 1999, currency: "EUR",
            attributes: ["colour": "black", "size": "M"], createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0)),
        Product(
            sku: "ACME-MUG", name: "Acme mug", price: 899, currency: "EUR", attributes: ["volume_ml": 330],
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)),
        Product(
            sku: "ACME-STICKERS", name: "Acme sticker pack", price: 299, currency: "EUR", attributes: ["count": 10],
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)),
    ]

    /// The demo stock: (SKU, warehouse, units on hand).
    public static let stock: [(sku: String, warehouse: String, onHand: Int64)] = [
        ("ACME-TEE-M", "berlin", 40), ("ACME-TEE-M", "lyon", 10),
        ("ACME-MUG", "berlin", 25),
        ("ACME-STICKERS", "berlin", 100), ("ACME-STICKERS", "lyon", 200),
    ]

    /// Installs what is missing of the demo data in `store`; the stock only for a product and warehouse with no
    /// level yet (a receipt in the ledger).
    public static func install(store: any InventoryStore, now: Date = Date()) async throws {
        for warehouse in Self.warehouses where try await store.warehouse(code: warehouse.code) == nil {
            var created = warehouse
            created.createdAt = now
            do { try await store.createWarehouse(created) } catch InventoryStoreError.warehouseExists {}
        }
        for product in Self.products where try await store.product(sku: product.sku) == nil {
            var created = product
            created.createdAt = now
            created.updatedAt = now
            do { try await store.createProduct(created) } catch InventoryStoreError.productExists {}
        }
        for level in Self.stock {
            let levels = try await store.stock(sku: level.sku)
            guard !levels.contains(where: { $0.warehouse == level.warehouse }) else { continue }
            _ = try await store.adjustStock(
                sku: level.sku, warehouse: level.warehouse, quantity: level.onHand, reason: .receipt,
                reference: "demo-data", now: now)
        }
    }
}
