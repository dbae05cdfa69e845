import InventoryService
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    @Suite struct InventoryDemoDataTests {
        @Test(arguments: TestDatabase.kindsWithMySQL)
        func theDemoDataIsInstalledOnce(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                let store = harness.app.store
                try await InventoryDemoData.install(store: store)
                try await InventoryDemoData.install(store: store)
                #expect(
                    try await store.products(after: nil, limit: 10).map(\.sku) == [
                        "ACME-MUG", "ACME-STICKERS", "ACME-TEE-M",
                    ])
                #expect(try await store.warehouses(after: nil, limit: 10).map(\.code) == ["berlin", "lyon"])
                let tees = try await store.stock(sku: "ACME-TEE-M")
                #expect(tees.map(\.onHand) == [40, 10])
                let ledger = try await store.ledger(sku: nil, warehouse: nil, after: nil, limit: 100)
                #expect(ledger.count == InventoryDemoData.stock.count)
            }
        }
    }
}
