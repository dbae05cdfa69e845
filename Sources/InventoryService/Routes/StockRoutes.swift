import Foundation
import Hummingbird
import ServiceKit

/// `POST /stock/adjustments` (`{sku, warehouse, quantity, reason}`: 201 with the ledger entry), `GET /stock/ledger`
/// (`?sku=&warehouse=&limit=&cursor=`, oldest first) and `GET /stock/ledger/{id}`.
struct StockRoutes: Sendable {
    let store: any InventoryStore
    let now: @Sendable () -> Date

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/stock/adjustments") { request, context in try await self.adjust(request, context: context) }
        router.get("/stock/ledger") { request, context in
            try InventoryAccess.reader(context)
            let page = try PageRequest(query: request.uri)
            var after: Int64?
            if let cursor = page.cursor {
                guard let seq = Int64(try ListCursor.key(cursor)) else {
                    throw Problem.invalidField("cursor", "is not a cursor this service gave")
                }
                after = seq
            }
            let query = request.uri.queryParameters
            let entries = try await self.store.ledger(
                sku: query["sku"].map(String.init), warehouse: query["warehouse"].map(String.init), after: after,
                limit: page.limit + 1)
            return try JSONResponse.make(ListCursor.page(entries, limit: page.limit) { String($0.id) })
        }
        router.get("/stock/ledger/{id}") { _, context in
            try InventoryAccess.reader(context)
            guard let id = Int64(try context.parameters.require("id")),
                let entry = try await self.store.ledgerEntry(id: id)
            else { throw Problem.notFound("no such ledger entry") }
            return try JSONResponse.make(entry)
        }
    }

    private func adjust(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let caller = try InventoryAccess.writer(context)
        let body = try await request.decodeBody(NewAdjustment.self, context: context)
        var errors: [FieldError] = []
        InventoryValidation.key(body.sku, field: "sku", into: &errors)
        InventoryValidation.key(body.warehouse, field: "warehouse", into: &errors)
        InventoryValidation.quantity(body.quantity, field: "quantity", positive: false, into: &errors)
        let reason = StockChangeReason(rawValue: body.reason)
        if reason.map({ !StockChangeReason.adjustments.contains($0) }) ?? true {
            errors.append(FieldError(field: "reason", detail: "expected receipt, correction or damage"))
        }
        guard errors.isEmpty, let reason else { throw Problem.validation(errors) }
        let entry = try await InventoryProblems.translating {
            try await self.store.adjustStock(
                sku: body.sku, warehouse: body.warehouse, quantity: body.quantity, reason: reason,
                reference: caller.subject, now: self.now())
        }
        context.logger.info(
            "stock adjusted",
            metadata: ["sku": "\(entry.sku)", "warehouse": "\(entry.warehouse)", "quantity": "\(body.quantity)"])
        return try JSONResponse.created(entry, location: "/stock/ledger/\(entry.id)")
    }
}
