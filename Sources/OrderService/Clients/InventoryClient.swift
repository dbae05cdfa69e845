import Foundation

/// A product's price as the inventory service lists it.
public struct ProductPrice: Sendable, Hashable, Decodable {
    /// The product.
    public let sku: String
    /// Its price in minor units of `currency`.
    public let price: Int
    /// ISO 4217 code.
    public let currency: String
}

/// A line to reserve.
public struct ReservationLine: Sendable, Hashable, Encodable {
    /// The product.
    public let sku: String
    /// How many.
    public let quantity: Int

    /// A line.
    public init(sku: String, quantity: Int) {
        self.sku = sku
        self.quantity = quantity
    }
}

/// What `reserve` got.
public enum ReservationOutcome: Sendable, Hashable {
    /// All lines reserved, under this reservation id.
    case reserved(id: String)
    /// Not enough stock (409): nothing was reserved.
    case insufficientStock(detail: String)
    /// The inventory refused the request (an unknown product, ...): nothing was reserved.
    case refused(status: Int, detail: String)
}

/// The inventory service as the order service needs it: prices (`GET /products/{sku}`) and reservations
/// (`POST /reservations`, `POST /reservations/{id}/release`). Every call is idempotent (a reservation by its
/// `order_id`), so every call is retried.
public struct InventoryClient: Sendable {
    let client: DependencyClient

    /// An inventory client calling through `client`.
    public init(client: DependencyClient) {
        self.client = client
    }

    /// The price of `sku`, `nil` when there is no such product.
    ///
    /// - Throws: `DependencyError` when the inventory cannot answer or answers unexpectedly.
    public func price(sku: String) async throws -> ProductPrice? {
        let answer = try await self.client.send(.GET, "/products/" + PathSegment.escape(sku), idempotent: true)
        switch answer.status {
        case 200:
            do {
                return try JSONDecoder().decode(ProductPrice.self, from: answer.body)
            } catch {
                throw DependencyError(service: "inventory", reason: "GET /products/{sku}: unreadable product: \(error)")
            }
        case 404: return nil
        default:
            throw DependencyError(service: "inventory", reason: "GET /products/{sku} answered \(answer.status)")
        }
    }

    /// Reserves every line for `orderID`, or nothing.
    ///
    /// - Throws: `DependencyError` when the inventory cannot answer.
    public func reserve(orderID: String, lines: [ReservationLine], strategy: String = "split") async throws
        -> ReservationOutcome
    {
        struct Body: Encodable {
            let order_id: String
            let items: [ReservationLine]
            let strategy: String
        }
        struct Created: Decodable {
            let id: String
        }
        let json = try JSONEncoder().encode(Body(order_id: orderID, items: lines, strategy: strategy))
        let answer = try await self.client.send(.POST, "/reservations", json: json, idempotent: true)
        switch answer.status {
        case 200, 201:
            guard let created = try? JSONDecoder().decode(Created.self, from: answer.body) else {
                throw DependencyError(service: "inventory", reason: "POST /reservations: no reservation id")
            }
            return .reserved(id: created.id)
        case 409:
            return .insufficientStock(detail: Self.detail(answer.body) ?? "not enough stock")
        default:
            return .refused(status: answer.status, detail: Self.detail(answer.body) ?? "refused (\(answer.status))")
        }
    }

    /// Releases reservation `id`: `true` when it is released (or was, or expired, or is unknown), `false` when
    /// the inventory refuses with 409 because its stock has left (committed).
    ///
    /// - Throws: `DependencyError` when the inventory cannot answer or refuses otherwise.
    @discardableResult
    public func release(reservationID id: String) async throws -> Bool {
        let answer = try await self.client.send(
            .POST, "/reservations/\(PathSegment.escape(id))/release", idempotent: true)
        switch answer.status {
        case 200..<300, 404, 410: return true
        case 409: return false
        default:
            throw DependencyError(
                service: "inventory", reason: "POST /reservations/{id}/release answered \(answer.status)")
        }
    }

    /// The `detail` of a problem document.
    private static func detail(_ body: Data) -> String? {
        struct Document: Decodable { let detail: String? }
        return (try? JSONDecoder().decode(Document.self, from: body))?.detail
    }
}
