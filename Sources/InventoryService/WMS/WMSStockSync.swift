import Foundation
import Logging

/// Pulls the stock levels the WMS counts and sets them here (each change a `wms_sync` ledger entry): run by a
/// `PeriodicService` every `WMS_SYNC_INTERVAL`. A WMS that fails leaves the levels as they are until a later pass.
public struct WMSStockSync: Sendable {
    let store: any InventoryStore
    let client: WMSClient
    let logger: Logger
    let now: @Sendable () -> Date

    /// A sync from `client` into `store`.
    public init(
        store: any InventoryStore, client: WMSClient, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.client = client
        self.logger = logger
        self.now = now
    }

    /// One pass; returns the ledger entries written.
    @discardableResult
    public func synchronise() async throws -> [LedgerEntry] {
        let levels = try await self.client.stockLevels()
        let entries = try await self.store.synchronise(levels: levels, now: self.now())
        if !entries.isEmpty {
            self.logger.info("stock synchronised from the WMS", metadata: ["changes": "\(entries.count)"])
        }
        return entries
    }

    /// A pass whose failure is logged: for `PeriodicService`.
    func passLogged() async {
        do {
            try await self.synchronise()
        } catch {
            self.logger.warning("WMS stock sync failed", metadata: ["error": "\(error)"])
        }
    }
}
