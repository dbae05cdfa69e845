import ServiceKit

/// The store's refusals as problem documents.
enum InventoryProblems {
    /// The kind of a refusal for want of stock.
    static let insufficientStock = "urn:acme:problem:insufficient-stock"

    /// Runs `body`, answering the store's refusals as problems.
    static func translating<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as InventoryStoreError {
            throw Self.problem(error)
        }
    }

    /// The problem for a refusal.
    static func problem(_ error: InventoryStoreError) -> Problem {
        switch error {
        case .productExists:
            return .conflict("a product with this SKU exists")
        case .warehouseExists:
            return .conflict("a warehouse with this code exists")
        case .unknownProduct:
            return .invalidField("sku", "no product has this SKU")
        case .unknownWarehouse:
            return .invalidField("warehouse", "no warehouse has this code")
        case .unknownProducts(let skus):
            return .invalidField("items", "no product has the SKU \(skus.joined(separator: ", "))")
        case .belowReserved(let onHand, let reserved):
            return Self.insufficient(
                "the change would leave fewer units on hand than reserved (on hand \(onHand), reserved \(reserved))")
        case .refused(.insufficient(let skus)):
            return Self.insufficient("not enough stock available for \(skus.joined(separator: ", "))")
        case .refused(.noSingleWarehouse):
            return Self.insufficient("no single warehouse has every item available (strategy single)")
        case .orderMismatch(let existing):
            return .conflict(
                "the order has reservation \(existing.id) for other items or another strategy; release it first")
        case .reservationNotFound:
            return .notFound("no such reservation")
        case .reservationClosed(let status):
            return .conflict("the reservation is \(status.rawValue)")
        }
    }

    /// 409 for want of stock.
    static func insufficient(_ detail: String) -> Problem {
        Problem(.conflict, type: Self.insufficientStock, title: "Insufficient stock", detail: detail)
    }
}
