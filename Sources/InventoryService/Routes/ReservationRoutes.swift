import Foundation
import Hummingbird
import ServiceKit

/// `POST /reservations` (`{order_id, items: [{sku, quantity}], strategy}`: 201 for a new reservation, 200 with the
/// same one for a repeated order, 409 for want of stock), `GET /reservations/{id}`,
/// `POST /reservations/{id}/commit` and `POST /reservations/{id}/release`.
struct ReservationRoutes: Sendable {
    let store: any InventoryStore
    let timeToLive: Duration
    /// The fulfilment dispatch, woken after a commit; `nil` without a WMS (then commits queue no request).
    let fulfilment: PeriodicService?
    let now: @Sendable () -> Date

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/reservations") { request, context in try await self.reserve(request, context: context) }
        router.get("/reservations/{id}") { _, context in
            try InventoryAccess.reader(context)
            guard let reservation = try await self.store.reservation(id: try context.parameters.require("id")) else {
                throw Problem.notFound("no such reservation")
            }
            return try JSONResponse.make(reservation)
        }
        router.post("/reservations/{id}/commit") { _, context in
            try InventoryAccess.writer(context)
            let id = try context.parameters.require("id")
            let reservation = try await InventoryProblems.translating {
                try await self.store.commitReservation(
                    id: id, now: self.now(), requestFulfilment: self.fulfilment != nil)
            }
            self.fulfilment?.wake()
            context.logger.info("reservation committed", metadata: ["reservation_id": "\(id)"])
            return try JSONResponse.make(reservation)
        }
        router.post("/reservations/{id}/release") { _, context in
            try InventoryAccess.writer(context)
            let id = try context.parameters.require("id")
            let reservation = try await InventoryProblems.translating {
                try await self.store.releaseReservation(id: id, now: self.now())
            }
            context.logger.info("reservation released", metadata: ["reservation_id": "\(id)"])
            return try JSONResponse.make(reservation)
        }
    }

    private func reserve(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try InventoryAccess.writer(context)
        let body = try await request.decodeBody(NewReservation.self, context: context)
        var errors: [FieldError] = []
        InventoryValidation.key(body.orderId, field: "order_id", into: &errors)
        if !(1...InventoryValidation.maximumItems).contains(body.items.count) {
            errors.append(
                FieldError(field: "items", detail: "expected 1 to \(InventoryValidation.maximumItems) items"))
        }
        for (index, item) in body.items.enumerated() {
            InventoryValidation.key(item.sku, field: "items.\(index).sku", into: &errors)
            InventoryValidation.quantity(item.quantity, field: "items.\(index).quantity", positive: true, into: &errors)
        }
        let strategy = AllocationStrategy(rawValue: body.strategy ?? AllocationStrategy.split.rawValue)
        if strategy == nil { errors.append(FieldError(field: "strategy", detail: "expected split or single")) }
        guard errors.isEmpty, let strategy else { throw Problem.validation(errors) }

        let now = self.now()
        let outcome: ReservationOutcome
        do {
            outcome = try await self.store.reserve(
                ReservationRequest(orderID: body.orderId, items: body.items, strategy: strategy),
                id: UUID().uuidString.lowercased(), now: now,
                expiresAt: now.addingTimeInterval(self.timeToLive.seconds))
        } catch InventoryStoreError.unknownProducts(let skus) {
            throw Problem.validation(
                body.items.enumerated().filter { skus.contains($0.element.sku) }.map {
                    FieldError(field: "items.\($0.offset).sku", detail: "no product has this SKU")
                },
                detail: "no product has the SKU \(skus.joined(separator: ", "))")
        } catch let error as InventoryStoreError {
            throw InventoryProblems.problem(error)
        }
        switch outcome {
        case .created(let reservation):
            context.logger.info(
                "stock reserved", metadata: ["reservation_id": "\(reservation.id)", "order_id": "\(body.orderId)"])
            return try JSONResponse.created(reservation, location: "/reservations/\(reservation.id)")
        case .existing(let reservation):
            return try JSONResponse.make(reservation, headers: [.location: "/reservations/\(reservation.id)"])
        }
    }
}
