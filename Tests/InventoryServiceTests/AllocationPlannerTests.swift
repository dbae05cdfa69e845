import InventoryService
import Testing

@Suite struct AllocationPlannerTests {
    typealias Plan = Result<[Allocation], AllocationPlanner.Refusal>

    static let stock: [String: [String: Int64]] = [
        "A": ["berlin": 5, "lyon": 8],
        "B": ["berlin": 3, "lyon": 1],
    ]

    func plan(_ items: [(String, Int64)], _ strategy: AllocationStrategy, stock: [String: [String: Int64]] = stock)
        -> Plan
    {
        AllocationPlanner.plan(
            items: items.map { ReservationItem(sku: $0.0, quantity: $0.1) }, available: stock, strategy: strategy)
    }

    @Test func oneWarehouseThatHasEverythingIsPreferred() {
        // Both have 1 A and 1 B; lyon has more of the items available (9 against 8).
        #expect(
            plan([("A", 1), ("B", 1)], .split)
                == .success([
                    Allocation(sku: "A", warehouse: "lyon", quantity: 1),
                    Allocation(sku: "B", warehouse: "lyon", quantity: 1),
                ]))
        // Only berlin has 2 B.
        #expect(
            plan([("A", 5), ("B", 2)], .split)
                == .success([
                    Allocation(sku: "A", warehouse: "berlin", quantity: 5),
                    Allocation(sku: "B", warehouse: "berlin", quantity: 2),
                ]))
    }

    @Test func splitTakesTheLargestStockFirst() {
        #expect(
            plan([("A", 10), ("B", 3)], .split)
                == .success([
                    Allocation(sku: "A", warehouse: "lyon", quantity: 8),
                    Allocation(sku: "A", warehouse: "berlin", quantity: 2),
                    Allocation(sku: "B", warehouse: "berlin", quantity: 3),
                ]))
    }

    @Test func singleNeedsOneWarehouseWithEverything() {
        #expect(plan([("A", 10)], .single) == .failure(.noSingleWarehouse))
        #expect(plan([("A", 6), ("B", 3)], .single) == .failure(.noSingleWarehouse))
        #expect(
            plan([("A", 6)], .single) == .success([Allocation(sku: "A", warehouse: "lyon", quantity: 6)]))
    }

    @Test func notEnoughInAllWarehousesNamesTheProducts() {
        #expect(plan([("A", 14), ("B", 5)], .split) == .failure(.insufficient(skus: ["A", "B"])))
        #expect(plan([("A", 1), ("C", 1)], .single) == .failure(.insufficient(skus: ["C"])))
        #expect(plan([("A", 13), ("B", 4)], .split) != .failure(.insufficient(skus: ["A", "B"])))
    }

    @Test func tiesGoToTheFirstWarehouseByCode() {
        let even: [String: [String: Int64]] = ["A": ["lyon": 4, "berlin": 4]]
        #expect(
            plan([("A", 2)], .split, stock: even) == .success([Allocation(sku: "A", warehouse: "berlin", quantity: 2)]))
        #expect(
            plan([("A", 6)], .split, stock: even)
                == .success([
                    Allocation(sku: "A", warehouse: "berlin", quantity: 4),
                    Allocation(sku: "A", warehouse: "lyon", quantity: 2),
                ]))
    }
}
