import Foundation
import InventoryService
import ServiceKit
import ServiceKitTesting
import Testing

/// How long `ReservationThroughputTests` measures, from `INVENTORY_THROUGHPUT_SECONDS`; unset, it does not run.
private let throughputSeconds = ProcessInfo.processInfo.environment["INVENTORY_THROUGHPUT_SECONDS"].flatMap(Int.init)

extension InventoryServiceSuites {
    /// Reservations per second through the store at 32 concurrent clients, on each database: a measurement, run
    /// only when asked (`INVENTORY_THROUGHPUT_SECONDS=5 scripts/test-servers.sh swift test --filter
    /// ReservationThroughput`). Each client reserves one unit at a time of one of 16 products (two clients share a
    /// product, so row locks are contended); the test checks that every reservation was counted in the stock.
    @Suite(.enabled(if: throughputSeconds != nil, "set INVENTORY_THROUGHPUT_SECONDS to measure"))
    struct ReservationThroughputTests {
        static let clients = 32
        static let products = 16

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func reservationsPerSecondAt32Clients(kind: TestDatabase.Kind) async throws {
            try await TestDatabase.with(kind) { database, _ in
                let store = SQLInventoryStore(database: database)
                try await store.migrate()
                let now = Date()
                try await store.createWarehouse(
                    Warehouse(code: "berlin", name: "Berlin", location: "DE", createdAt: now))
                for index in 0..<Self.products {
                    try await store.createProduct(
                        Product(
                            sku: "P\(index)", name: "P\(index)", price: 100, currency: "EUR", createdAt: now,
                            updatedAt: now))
                    _ = try await store.adjustStock(
                        sku: "P\(index)", warehouse: "berlin", quantity: 1_000_000, reason: .receipt, reference: nil,
                        now: now)
                }
                let duration = Duration.seconds(throughputSeconds ?? 1)
                let start = ContinuousClock.now
                let deadline = start + duration
                let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                    for client in 0..<Self.clients {
                        group.addTask {
                            var count = 0
                            while ContinuousClock.now < deadline {
                                let request = ReservationRequest(
                                    orderID: "load-\(client)-\(count)",
                                    items: [ReservationItem(sku: "P\(client % Self.products)", quantity: 1)],
                                    strategy: .split)
                                _ = try await store.reserve(
                                    request, id: UUID().uuidString, now: now, expiresAt: now.addingTimeInterval(3600))
                                count += 1
                            }
                            return count
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let rate = Int(Double(counts) / seconds)
                print(
                    "reservation throughput on \(kind): \(counts) reservations in "
                        + "\(String(format: "%.1f", seconds)) s = \(rate)/s at \(Self.clients) clients")
                var reserved: Int64 = 0
                for index in 0..<Self.products {
                    reserved += try await store.stock(sku: "P\(index)").map(\.reserved).reduce(0, +)
                }
                #expect(reserved == Int64(counts))
            }
        }
    }
}
