import ServiceKit

/// Where a status change landed.
public enum OrderTransition: Sendable, Hashable {
    /// The order moved; here it is now.
    case moved(Order)
    /// The order is in a state that cannot move there; here it is, unchanged.
    case refused(Order)
    /// No such order.
    case notFound
}

/// A page of orders, newest first, and where the next one starts.
public struct OrderPosition: Sendable, Hashable {
    /// The order's creation time, in milliseconds.
    public let createdAt: Int64
    /// The order's id (ties on `createdAt`).
    public let id: String

    /// A position from its parts.
    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// The order service's storage: orders with their outbox events, idempotency keys, and the ids of consumed events.
public protocol OrderStore: Sendable {
    /// Stores a new order and `event` in one transaction, and records `answer` for `idempotency` when given.
    func createOrder(_ order: Order, event: EventEnvelope, idempotency: IdempotencyKey?, answer: String) async throws

    /// The order with `id`.
    func order(id: String) async throws -> Order?

    /// `userID`'s orders, newest first, after `position` (exclusive), only those in `status` when given.
    func orders(userID: String, status: OrderStatus?, after position: OrderPosition?, limit: Int) async throws
        -> [Order]

    /// Moves order `id` to `status` when its current state allows, writing `event` (if any) in the same
    /// transaction.
    func transition(id: String, to status: OrderStatus, event: EventEnvelope?) async throws -> OrderTransition

    /// Moves order `id` to `status` on behalf of the consumed event `eventID`; `nil` when that event was handled
    /// before (nothing changes then).
    func transition(id: String, to status: OrderStatus, consuming eventID: String) async throws -> OrderTransition?

    /// Claims `key` for a new order with `orderID`, or says what an earlier request with it became. An attempt
    /// left in progress longer than `abandonedAfterMilliseconds` is taken over (with its order id).
    func claim(_ key: IdempotencyKey, orderID: String, abandonedAfterMilliseconds: Int64) async throws
        -> IdempotencyClaim

    /// Forgets a claim whose request failed, so that a retry may try again.
    func releaseClaim(_ key: IdempotencyKey) async throws

    /// Checks that the database answers.
    func ping() async throws
}
