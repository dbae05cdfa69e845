/// Decides where a reservation's units come from, given what each warehouse has available. Pure: the store calls
/// it inside the transaction that holds the stock rows, with the counts it has just read.
public enum AllocationPlanner {
    /// Why nothing can be reserved.
    public enum Refusal: Error, Sendable, Hashable {
        /// These products (by SKU) do not have enough available units in all warehouses together.
        case insufficient(skus: [String])
        /// Enough units exist, but no one warehouse has every item (strategy `single`).
        case noSingleWarehouse
    }

    /// The allocations for `items` (one per SKU) from `available` (SKU → warehouse → units), by `strategy`:
    /// one warehouse when one has everything (the one with the most of the items available, then by code); else,
    /// for `split`, each item from its warehouses with the most available first.
    public static func plan(
        items: [ReservationItem], available: [String: [String: Int64]], strategy: AllocationStrategy
    ) -> Result<[Allocation], Refusal> {
        let short = items.filter { item in (available[item.sku]?.values.reduce(0, +) ?? 0) < item.quantity }
        if !short.isEmpty { return .failure(.insufficient(skus: short.map(\.sku))) }
        if let warehouse = Self.singleWarehouse(items: items, available: available) {
            return .success(items.map { Allocation(sku: $0.sku, warehouse: warehouse, quantity: $0.quantity) })
        }
        guard strategy == .split else { return .failure(.noSingleWarehouse) }
        var allocations: [Allocation] = []
        for item in items {
            var remaining = item.quantity
            for (warehouse, units) in Self.largestFirst(available[item.sku] ?? [:]) where remaining > 0 && units > 0 {
                let taken = min(units, remaining)
                allocations.append(Allocation(sku: item.sku, warehouse: warehouse, quantity: taken))
                remaining -= taken
            }
        }
        return .success(allocations)
    }

    /// The warehouse that has every item, with the most of them available (ties by code), if any.
    private static func singleWarehouse(items: [ReservationItem], available: [String: [String: Int64]]) -> String? {
        let warehouses = Set(available.values.flatMap(\.keys))
        let complete = warehouses.filter { warehouse in
            items.allSatisfy { (available[$0.sku]?[warehouse] ?? 0) >= $0.quantity }
        }
        func total(_ warehouse: String) -> Int64 { items.reduce(0) { $0 + (available[$1.sku]?[warehouse] ?? 0) } }
        return complete.max { first, second in
            let (a, b) = (total(first), total(second))
            return a == b ? first > second : a < b
        }
    }

    private static func largestFirst(_ units: [String: Int64]) -> [(String, Int64)] {
        units.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }.map { ($0.key, $0.value) }
    }
}
