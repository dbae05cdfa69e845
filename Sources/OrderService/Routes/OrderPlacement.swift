import Foundation
import JWT
import Logging
import ServiceKit

/// Places an order, all or nothing: the user must exist (user service), every product must have a price in one
/// currency (inventory), the stock is reserved (inventory, idempotent by the order's id), and the order is stored
/// as `confirmed` with its `order.created` event in one transaction. When storing fails after the reservation,
/// the reservation is released.
struct OrderPlacement: Sendable {
    let store: any OrderStore
    let users: UserDirectory
    let inventory: InventoryClient
    let relay: OutboxRelay

    /// The stored order and its JSON answer.
    ///
    /// - Throws: `Problem` (403 unknown user, 409 not enough stock, 422 unknown product or mixed currencies),
    ///   `DependencyError` (503), or the store's error after the reservation was released.
    func place(
        orderID: String, userID: String, lines: [ReservationLine], address: ShippingAddress,
        idempotency: IdempotencyKey?, logger: Logger
    ) async throws -> (order: Order, answer: String) {
        guard try await self.users.exists(userID: userID) else {
            throw Problem.forbidden("the token's user does not exist")
        }
        let (items, currency) = try await self.price(lines)
        let reservationID: String
        switch try await self.inventory.reserve(orderID: orderID, lines: lines) {
        case .reserved(let id):
            reservationID = id
        case .insufficientStock(let detail):
            throw Problem.conflict("not enough stock: \(detail)")
        case .refused(let status, let detail):
            logger.warning("reservation refused", metadata: ["status": "\(status)", "detail": "\(detail)"])
            throw Problem(.unprocessableContent, detail: "the inventory refused the reservation: \(detail)")
        }
        let now = OrderTime.now()
        let order = Order(
            id: orderID, userId: userID, status: .confirmed, items: items, shippingAddress: address,
            total: items.reduce(0) { $0 + $1.lineTotal }, currency: currency, reservationId: reservationID,
            createdAt: now, updatedAt: now)
        do {
            let answer = try OrderDocument.encode(order)
            try await self.store.createOrder(
                order, event: Self.createdEvent(order), idempotency: idempotency, answer: answer)
            self.relay.wake()
            return (order, answer)
        } catch {
            logger.error("storing an order failed; releasing its reservation", metadata: ["error": "\(error)"])
            do {
                _ = try await self.inventory.release(reservationID: reservationID)
            } catch {
                logger.error(
                    "releasing the reservation of an unstored order failed; it expires on its own",
                    metadata: ["reservation_id": "\(reservationID)", "error": "\(error)"])
            }
            throw error
        }
    }

    /// The lines priced from the inventory's products, and their one currency.
    private func price(_ lines: [ReservationLine]) async throws -> ([OrderItem], String) {
        var items: [OrderItem] = []
        var errors: [FieldError] = []
        var currency: String?
        for (index, line) in lines.enumerated() {
            guard let product = try await self.inventory.price(sku: line.sku) else {
                errors.append(FieldError(field: "items.\(index).sku", detail: "no such product"))
                continue
            }
            if let currency, currency != product.currency {
                errors.append(
                    FieldError(field: "items.\(index).sku", detail: "is priced in \(product.currency), not \(currency)")
                )
            }
            currency = currency ?? product.currency
            let (lineTotal, overflow) = product.price.multipliedReportingOverflow(by: line.quantity)
            guard !overflow, product.price >= 0 else {
                errors.append(FieldError(field: "items.\(index).quantity", detail: "the line's total is too large"))
                continue
            }
            items.append(
                OrderItem(sku: line.sku, quantity: line.quantity, unitPrice: product.price, lineTotal: lineTotal))
        }
        guard errors.isEmpty, let currency else {
            throw Problem(
                .unprocessableContent, type: Problem.Kind.validation, title: "Invalid request",
                detail: "the order cannot be priced", errors: errors)
        }
        return (items, currency)
    }

    /// `order.created` {order_id, user_id, items, total, currency}.
    static func createdEvent(_ order: Order) -> EventEnvelope {
        EventEnvelope(
            type: "order.created",
            data: [
                "order_id": .string(order.id), "user_id": .string(order.userId),
                "items": .array(
                    order.items.map {
                        JSONValue.object([
                            "sku": .string($0.sku), "quantity": .number(Double($0.quantity)),
                            "unit_price": .number(Double($0.unitPrice)),
                        ])
                    }),
                "total": .number(Double(order.total)), "currency": .string(order.currency),
            ])
    }
}
