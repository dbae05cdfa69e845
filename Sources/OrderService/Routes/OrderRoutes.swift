import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The orders: `POST /orders` (the caller's, with an optional `Idempotency-Key`), `GET /orders` (the caller's,
/// `?status=&limit=&cursor=`), `GET /orders/{id}` (the owner or an administrator) and `POST /orders/{id}/cancel`
/// (the same, before shipping).
struct OrderRoutes: Sendable {
    let store: any OrderStore
    let placement: OrderPlacement
    let inventory: InventoryClient
    let relay: OutboxRelay
    /// An idempotent request left unfinished this long (a crashed process) may be taken over by its retry.
    let abandonedAfter: Duration

    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/orders") { request, context in try await self.create(request, context: context) }
        router.get("/orders") { request, context in try await self.list(request, context: context) }
        router.get("/orders/{id}") { _, context in
            try JSONResponse.make(try await self.visibleOrder(context: context))
        }
        router.post("/orders/{id}/cancel") { _, context in try await self.cancel(context: context) }
    }

    private func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let userID = try context.requireCaller().requireUser()
        let body = try await request.decodeBody(NewOrder.self, context: context)
        let (lines, address) = try body.validated()
        var orderID = UUID().uuidString.lowercased()
        var idempotency: IdempotencyKey?
        if let key = request.headers[Self.idempotencyHeader] {
            guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
                throw Problem(.badRequest, detail: "Idempotency-Key: expected 1 to 255 ASCII characters")
            }
            let claimed = IdempotencyKey(userID: userID, key: key, fingerprint: try body.fingerprint())
            let abandoned = Int64(self.abandonedAfter.components.seconds) * 1000
            switch try await self.store.claim(claimed, orderID: orderID, abandonedAfterMilliseconds: abandoned) {
            case .claimed(let id):
                orderID = id
                idempotency = claimed
            case .completed(let status, let answer):
                let order = try OrderDocument.decode(answer)
                return Response(
                    status: HTTPResponse.Status(code: status),
                    headers: [
                        .contentType: "application/json", .location: "/orders/\(order.id)",
                        Self.replayedHeader: "true",
                    ],
                    body: .init(byteBuffer: ByteBuffer(string: answer)))
            case .inProgress:
                throw Problem.conflict("a request with this Idempotency-Key is still being processed")
            case .mismatch:
                throw Problem(
                    .unprocessableContent, detail: "this Idempotency-Key was used for a different request")
            }
        }
        do {
            let (order, answer) = try await self.placement.place(
                orderID: orderID, userID: userID, lines: lines, address: address, idempotency: idempotency,
                logger: context.logger)
            context.logger.info("order placed", metadata: ["order_id": "\(order.id)", "user_id": "\(userID)"])
            return Response(
                status: .created, headers: [.contentType: "application/json", .location: "/orders/\(order.id)"],
                body: .init(byteBuffer: ByteBuffer(string: answer)))
        } catch {
            if let idempotency {
                do {
                    try await self.store.releaseClaim(idempotency)
                } catch {
                    context.logger.error("releasing an idempotency key failed", metadata: ["error": "\(error)"])
                }
            }
            throw error
        }
    }

    private func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let userID = try context.requireCaller().requireUser()
        let page = try PageRequest(query: request.uri)
        var status: OrderStatus?
        if let text = request.uri.queryParameters["status"] {
            guard let parsed = OrderStatus(rawValue: String(text)) else {
                let names = OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem.invalidField("status", "expected one of \(names)")
            }
            status = parsed
        }
        let position = try page.cursor.map(OrderCursor.decode)
        let orders = try await self.store.orders(
            userID: userID, status: status, after: position, limit: page.limit + 1)
        let shown = Array(orders.prefix(page.limit))
        let next = orders.count > page.limit ? shown.last.map(OrderCursor.encode) : nil
        return try JSONResponse.make(Page(data: shown, nextCursor: next))
    }

    /// The order of the path, when the caller may see it (others get 404, as if it did not exist).
    private func visibleOrder(context: ServiceRequestContext) async throws -> Order {
        let id = try context.parameters.require("id")
        let caller = try context.requireCaller()
        guard let order = try await self.store.order(id: id),
            caller.isAdmin || (!caller.isClient && caller.subject == order.userId)
        else { throw Problem.notFound("no such order") }
        return order
    }

    private func cancel(context: ServiceRequestContext) async throws -> Response {
        let order = try await self.visibleOrder(context: context)
        if order.status == .cancelled { return try JSONResponse.make(order) }
        guard order.status.canMove(to: .cancelled) else {
            throw Problem.conflict("an order that is \(order.status.rawValue) cannot be cancelled")
        }
        if let reservationID = order.reservationId {
            guard try await self.inventory.release(reservationID: reservationID) else {
                throw Problem.conflict("the order's stock has left the warehouse; it cannot be cancelled")
            }
        }
        let event = EventEnvelope(
            type: "order.cancelled", data: ["order_id": .string(order.id), "user_id": .string(order.userId)])
        switch try await self.store.transition(id: order.id, to: .cancelled, event: event) {
        case .moved(let cancelled):
            self.relay.wake()
            context.logger.info("order cancelled", metadata: ["order_id": "\(order.id)"])
            return try JSONResponse.make(cancelled)
        case .refused(let current) where current.status == .cancelled:
            return try JSONResponse.make(current)
        case .refused(let current):
            throw Problem.conflict("an order that is \(current.status.rawValue) cannot be cancelled")
        case .notFound:
            throw Problem.notFound("no such order")
        }
    }
}
