import Foundation
import Hummingbird
import ServiceKit

/// Products and warehouses: `GET`/`POST /products`, `GET`/`PATCH /products/{sku}`, `GET /products/{sku}/stock`,
/// `GET`/`POST /warehouses`, `GET /warehouses/{code}`.
struct CatalogRoutes: Sendable {
    let store: any InventoryStore
    let now: @Sendable () -> Date

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/products") { request, context in
            try InventoryAccess.reader(context)
            let page = try PageRequest(query: request.uri)
            let products = try await self.store.products(
                after: try page.cursor.map(ListCursor.key), limit: page.limit + 1)
            return try JSONResponse.make(ListCursor.page(products, limit: page.limit) { $0.sku })
        }
        router.post("/products") { request, context in try await self.createProduct(request, context: context) }
        router.get("/products/{sku}") { _, context in
            try InventoryAccess.reader(context)
            return try JSONResponse.make(try await self.product(context))
        }
        router.patch("/products/{sku}") { request, context in try await self.updateProduct(request, context: context) }
        router.get("/products/{sku}/stock") { _, context in
            try InventoryAccess.reader(context)
            let product = try await self.product(context)
            return try JSONResponse.make(
                ProductStock(sku: product.sku, levels: try await self.store.stock(sku: product.sku)))
        }
        router.get("/warehouses") { request, context in
            try InventoryAccess.reader(context)
            let page = try PageRequest(query: request.uri)
            let warehouses = try await self.store.warehouses(
                after: try page.cursor.map(ListCursor.key), limit: page.limit + 1)
            return try JSONResponse.make(ListCursor.page(warehouses, limit: page.limit) { $0.code })
        }
        router.post("/warehouses") { request, context in try await self.createWarehouse(request, context: context) }
        router.get("/warehouses/{code}") { _, context in
            try InventoryAccess.reader(context)
            guard let warehouse = try await self.store.warehouse(code: try context.parameters.require("code")) else {
                throw Problem.notFound("no such warehouse")
            }
            return try JSONResponse.make(warehouse)
        }
    }

    private func product(_ context: ServiceRequestContext) async throws -> Product {
        guard let product = try await self.store.product(sku: try context.parameters.require("sku")) else {
            throw Problem.notFound("no such product")
        }
        return product
    }

    private func createProduct(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try InventoryAccess.writer(context)
        let body = try await request.decodeBody(NewProduct.self, context: context)
        var errors: [FieldError] = []
        InventoryValidation.key(body.sku, field: "sku", into: &errors)
        let name = InventoryValidation.text(body.name, field: "name", into: &errors)
        InventoryValidation.price(body.price, into: &errors)
        InventoryValidation.currency(body.currency, into: &errors)
        guard errors.isEmpty else { throw Problem.validation(errors) }
        let now = self.now()
        let product = Product(
            sku: body.sku, name: name, price: body.price, currency: body.currency, attributes: body.attributes ?? [:],
            createdAt: now, updatedAt: now)
        try await InventoryProblems.translating { try await self.store.createProduct(product) }
        return try JSONResponse.created(product, location: "/products/\(product.sku)")
    }

    private func updateProduct(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try InventoryAccess.writer(context)
        let changes = try await request.decodeBody(ProductChanges.self, context: context)
        var product = try await self.product(context)
        var errors: [FieldError] = []
        if let name = changes.name { product.name = InventoryValidation.text(name, field: "name", into: &errors) }
        if let price = changes.price {
            InventoryValidation.price(price, into: &errors)
            product.price = price
        }
        if let currency = changes.currency {
            InventoryValidation.currency(currency, into: &errors)
            product.currency = currency
        }
        if let attributes = changes.attributes { product.attributes = attributes }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        product.updatedAt = self.now()
        guard try await self.store.updateProduct(product) else { throw Problem.notFound("no such product") }
        return try JSONResponse.make(product)
    }

    private func createWarehouse(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try InventoryAccess.writer(context)
        let body = try await request.decodeBody(NewWarehouse.self, context: context)
        var errors: [FieldError] = []
        InventoryValidation.key(body.code, field: "code", into: &errors)
        let name = InventoryValidation.text(body.name, field: "name", into: &errors)
        let location = InventoryValidation.text(body.location, field: "location", maximum: 500, into: &errors)
        guard errors.isEmpty else { throw Problem.validation(errors) }
        let warehouse = Warehouse(code: body.code, name: name, location: location, createdAt: self.now())
        try await InventoryProblems.translating { try await self.store.createWarehouse(warehouse) }
        return try JSONResponse.created(warehouse, location: "/warehouses/\(warehouse.code)")
    }
}
