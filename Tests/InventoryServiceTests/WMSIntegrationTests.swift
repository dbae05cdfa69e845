import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import InventoryServiceTesting
import ServiceKit
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    /// The outbound side, against the WMS simulator on loopback: the stock sync, fulfilment requests on commit,
    /// retries, timeouts and the circuit breaker.
    @Suite struct WMSIntegrationTests {
        static let quickRetries = RetryPolicy(
            maximumAttempts: 3, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50))

        /// Runs `body` with a simulator and a client of it.
        static func withWMS<Result>(
            timeout: Duration = .seconds(10), retry: RetryPolicy = quickRetries,
            breaker: CircuitBreaker = CircuitBreaker(name: "wms", failureThreshold: 100),
            _ body: (WMSSimulator, WMSClient) async throws -> Result
        ) async throws -> Result {
            let simulator = try await WMSSimulator.start(logger: ServiceTestEnvironment.logger)
            let client = WMSClient(
                baseURL: simulator.url, token: WMSSimulator.token, timeout: timeout, retry: retry, breaker: breaker)
            do {
                let result = try await body(simulator, client)
                await simulator.stop()
                return result
            } catch {
                await simulator.stop()
                throw error
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func theSyncSetsTheLevelsTheWMSCounts(kind: TestDatabase.Kind) async throws {
            try await Self.withWMS { simulator, client async throws in
                try await InventoryHarness.with(kind, wms: client) { harness in
                    try await harness.seed([("A", "berlin", 10), ("B", "lyon", 5)])
                    let store = harness.app.store
                    _ = try await store.reserve(
                        ReservationRequest(
                            orderID: "o-1", items: [ReservationItem(sku: "B", quantity: 4)], strategy: .split),
                        id: "r-1", now: harness.clock.now(), expiresAt: harness.clock.now().addingTimeInterval(60))
                    simulator.setLevels([
                        WMSStockLevel(sku: "A", warehouse: "berlin", onHand: 12),
                        WMSStockLevel(sku: "A", warehouse: "lyon", onHand: 3),
                        WMSStockLevel(sku: "B", warehouse: "lyon", onHand: 1),
                        WMSStockLevel(sku: "Z", warehouse: "berlin", onHand: 9),
                        WMSStockLevel(sku: "A", warehouse: "paris", onHand: 9),
                    ])
                    let entries = try #require(try await harness.app.stockSync?.synchronise())
                    #expect(entries.map(\.reason) == [.wmsSync, .wmsSync, .wmsSync])
                    #expect(try await harness.level("A", "berlin").onHand == 12)
                    #expect(try await harness.level("A", "lyon").onHand == 3)
                    // Never below what reservations hold.
                    #expect(
                        try await harness.level("B", "lyon")
                            == StockLevel(sku: "B", warehouse: "lyon", onHand: 4, reserved: 4))
                    // A second pass finds nothing to change.
                    #expect(try await harness.app.stockSync?.synchronise().isEmpty == true)
                }
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func aCommitSendsOneFulfilmentRequest(kind: TestDatabase.Kind) async throws {
            try await Self.withWMS { simulator, client async throws in
                try await InventoryHarness.with(kind, wms: client) { harness in
                    try await harness.seed([("A", "berlin", 10), ("A", "lyon", 1)])
                    let id = try await harness.test { client in
                        let reserved = try await client.json(
                            .post, "/reservations",
                            body: #"{"order_id": "o-1", "items": [{"sku": "A", "quantity": 11}]}"#)
                        let id = try #require(try reserved.object()["id"] as? String)
                        #expect(try await client.json(.post, "/reservations/\(id)/commit").status == .ok)
                        // The commit wakes the dispatch.
                        #expect(try await eventually { !simulator.fulfilments.isEmpty })
                        return id
                    }
                    let received = try #require(simulator.fulfilments.first)
                    #expect(Set(simulator.fulfilments.map(\.idempotencyKey)) == [id])
                    #expect(received.request.reservationId == id)
                    #expect(received.request.orderId == "o-1")
                    #expect(
                        received.request.allocations == [
                            Allocation(sku: "A", warehouse: "berlin", quantity: 10),
                            Allocation(sku: "A", warehouse: "lyon", quantity: 1),
                        ])
                    #expect(try await harness.app.store.dueFulfilments(now: .distantFuture, limit: 10).isEmpty)
                }
            }
        }

        @Test func aRequestTheWMSRefusesStaysQueuedUntilTaken() async throws {
            try await Self.withWMS { simulator, client async throws in
                try await InventoryHarness.with(.sqlite, wms: client) { harness in
                    try await harness.seed([("A", "berlin", 10)])
                    let store = harness.app.store
                    let now = harness.clock.now()
                    _ = try await store.reserve(
                        ReservationRequest(
                            orderID: "o-1", items: [ReservationItem(sku: "A", quantity: 2)], strategy: .split),
                        id: "r-1", now: now, expiresAt: now.addingTimeInterval(60))
                    _ = try await store.commitReservation(id: "r-1", now: now, requestFulfilment: true)
                    let dispatcher = try #require(harness.app.fulfilment)

                    simulator.fail(with: [503, 502, 500])
                    #expect(try await dispatcher.dispatchDue() == 0)
                    #expect(simulator.requestCount == 3)
                    #expect(simulator.fulfilments.isEmpty)
                    // Not due again at once.
                    #expect(try await dispatcher.dispatchDue() == 0)
                    #expect(simulator.requestCount == 3)
                    let queued = try await store.dueFulfilments(now: .distantFuture, limit: 10)
                    #expect(queued.map(\.attempts) == [1])

                    harness.clock.advance(seconds: 3600)
                    #expect(try await dispatcher.dispatchDue() == 1)
                    #expect(simulator.fulfilments.map(\.request.reservationId) == ["r-1"])
                    #expect(try await store.dueFulfilments(now: .distantFuture, limit: 10).isEmpty)
                }
            }
        }

        @Test func failuresAreRetriedWithBackoffButRefusalsAreNot() async throws {
            try await Self.withWMS { simulator, client async throws in
                simulator.setLevels([WMSStockLevel(sku: "A", warehouse: "berlin", onHand: 1)])
                simulator.fail(with: [503, 429])
                #expect(try await client.stockLevels() == [WMSStockLevel(sku: "A", warehouse: "berlin", onHand: 1)])
                #expect(simulator.requestCount == 3)

                simulator.fail(with: [400])
                await #expect(throws: WMSError.status(400, "GET /stock")) { try await client.stockLevels() }
                #expect(simulator.requestCount == 4)

                let unauthorised = WMSClient(baseURL: simulator.url, token: "wrong", retry: Self.quickRetries)
                await #expect(throws: WMSError.status(401, "GET /stock")) { try await unauthorised.stockLevels() }
            }
        }

        @Test func aStalledWMSTimesOut() async throws {
            let retry = RetryPolicy(
                maximumAttempts: 2, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(10))
            try await Self.withWMS(timeout: .milliseconds(300), retry: retry) { simulator, client async throws in
                simulator.stall(.seconds(3))
                let error = await #expect(throws: WMSError.self) { try await client.stockLevels() }
                guard case .unreachable? = error else {
                    Issue.record("expected no answer, got \(String(describing: error))")
                    return
                }
                #expect(simulator.requestCount == 2)
                simulator.stall(nil)
            }
        }

        @Test func theBreakerOpensAfterFailuresAndStopsCalling() async throws {
            let once = RetryPolicy(maximumAttempts: 1, initialDelay: .zero, maximumDelay: .zero)
            let breaker = CircuitBreaker(name: "wms", failureThreshold: 2, openDuration: .seconds(3600))
            try await Self.withWMS(retry: once, breaker: breaker) { simulator, client async throws in
                simulator.fail(with: [503, 503])
                for _ in 0..<2 {
                    await #expect(throws: WMSError.self) { try await client.stockLevels() }
                }
                #expect(simulator.requestCount == 2)
                await #expect(throws: CircuitBreakerOpenError.self) { try await client.stockLevels() }
                #expect(simulator.requestCount == 2)
                guard case .open = breaker.state else {
                    Issue.record("expected an open breaker, got \(breaker.state)")
                    return
                }
            }
        }
    }
}
