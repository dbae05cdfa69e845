import Foundation
import HTTPTypes
import HummingbirdTesting
import InventoryService
import ServiceKitTesting
import Testing

extension InventoryServiceSuites {
    @Suite struct CatalogRoutesTests {
        @Test(arguments: TestDatabase.kindsWithMySQL)
        func productsAreCreatedReadUpdatedAndListed(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.test { client in
                    let created = try await client.json(
                        .post, "/products",
                        body: #"""
                            {"sku": "TEE-M", "name": " T-shirt ", "price": 1999, "currency": "EUR",
                             "attributes": {"colourName": "black", "sizes": ["M"], "cotton": true}}
                            """#)
                    #expect(created.status == .created, "\(created.text)")
                    #expect(created.headers[.location] == "/products/TEE-M")
                    let product = try created.object()
                    #expect(product["name"] as? String == "T-shirt")
                    #expect(product["price"] as? Int == 1999)
                    #expect(product["currency"] as? String == "EUR")
                    // Attribute names are the client's, not converted.
                    let attributes = try #require(product["attributes"] as? [String: Any])
                    #expect(attributes["colourName"] as? String == "black")
                    #expect(attributes["cotton"] as? Bool == true)

                    let again = try await client.json(
                        .post, "/products", body: #"{"sku": "TEE-M", "name": "x", "price": 1, "currency": "EUR"}"#)
                    #expect(again.status == .conflict)

                    let patched = try await client.json(
                        .patch, "/products/TEE-M", body: #"{"price": 2499, "attributes": {"colour": "white"}}"#)
                    #expect(patched.status == .ok, "\(patched.text)")
                    let read = try await client.json(.get, "/products/TEE-M", token: TestTokens.reader)
                    #expect(try read.object()["price"] as? Int == 2499)
                    #expect(try read.object()["attributes"] as? [String: String] == ["colour": "white"])
                    #expect(try read.object()["name"] as? String == "T-shirt")

                    let missing = try await client.json(.get, "/products/NOPE", token: TestTokens.reader)
                    #expect(missing.status == .notFound)
                    #expect(missing.headers[.contentType] == "application/problem+json")
                    let patchMissing = try await client.json(.patch, "/products/NOPE", body: #"{"price": 1}"#)
                    #expect(patchMissing.status == .notFound)
                }
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func listsArePagedWithACursor(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.test { client in
                    for sku in ["P3", "P1", "P5", "P2", "P4"] {
                        let created = try await client.json(
                            .post, "/products", body: #"{"sku": "\#(sku)", "name": "n", "price": 1, "currency": "EUR"}"#
                        )
                        #expect(created.status == .created)
                    }
                    var skus: [String] = []
                    var uri = "/products?limit=2"
                    var pages = 0
                    while true {
                        let page = try await client.json(.get, uri, token: TestTokens.reader)
                        #expect(page.status == .ok, "\(page.text)")
                        let object = try page.object()
                        let data = try #require(object["data"] as? [[String: Any]])
                        skus += data.compactMap { $0["sku"] as? String }
                        pages += 1
                        guard let next = object["next_cursor"] as? String else {
                            #expect(object["next_cursor"] is NSNull)
                            break
                        }
                        uri = "/products?limit=2&cursor=\(next)"
                    }
                    #expect(skus == ["P1", "P2", "P3", "P4", "P5"])
                    #expect(pages == 3)
                    let bad = try await client.json(.get, "/products?cursor=%%%", token: TestTokens.reader)
                    #expect(bad.status == .badRequest)
                    let badLimit = try await client.json(.get, "/products?limit=0", token: TestTokens.reader)
                    #expect(badLimit.status == .badRequest)
                }
            }
        }

        @Test(arguments: TestDatabase.kindsWithMySQL)
        func warehousesAreCreatedAndListed(kind: TestDatabase.Kind) async throws {
            try await InventoryHarness.with(kind) { harness in
                try await harness.test { client in
                    let created = try await client.json(
                        .post, "/warehouses", token: TestTokens.admin,
                        body: #"{"code": "berlin-1", "name": "Berlin", "location": "Berlin, Germany"}"#)
                    #expect(created.status == .created, "\(created.text)")
                    #expect(created.headers[.location] == "/warehouses/berlin-1")
                    let duplicate = try await client.json(
                        .post, "/warehouses", body: #"{"code": "berlin-1", "name": "B", "location": "B"}"#)
                    #expect(duplicate.status == .conflict)
                    let read = try await client.json(.get, "/warehouses/berlin-1", token: TestTokens.reader)
                    #expect(try read.object()["location"] as? String == "Berlin, Germany")
                    let list = try await client.json(.get, "/warehouses", token: TestTokens.reader)
                    let data = try #require(try list.object()["data"] as? [[String: Any]])
                    #expect(data.map { $0["code"] as? String } == ["berlin-1"])
                }
            }
        }

        @Test func readsNeedATokenAndWritesTheScopeOrAdmin() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.test { client in
                    let anonymous = try await client.json(.get, "/products", token: nil)
                    #expect(anonymous.status == .unauthorized)
                    #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let forged = try await client.json(.get, "/products", token: "not-a-token")
                    #expect(forged.status == .unauthorized)
                    let product = #"{"sku": "X", "name": "x", "price": 1, "currency": "EUR"}"#
                    let reader = try await client.json(.post, "/products", token: TestTokens.reader, body: product)
                    #expect(reader.status == .forbidden)
                    #expect(try reader.object()["type"] as? String == "urn:acme:problem:forbidden")
                    let warehouse = #"{"code": "w", "name": "w", "location": "w"}"#
                    #expect(
                        try await client.json(.post, "/warehouses", token: TestTokens.reader, body: warehouse).status
                            == .forbidden)
                    #expect(
                        try await client.json(.post, "/products", token: TestTokens.admin, body: product).status
                            == .created)
                    #expect(try await client.json(.get, "/products/X", token: TestTokens.reader).status == .ok)
                }
            }
        }

        @Test func badBodiesAre400NamingTheField() async throws {
            try await InventoryHarness.with(.sqlite) { harness in
                try await harness.test { client in
                    let cases: [(String, String)] = [
                        (#"{"sku": "", "name": "n", "price": 1, "currency": "EUR"}"#, "sku"),
                        (#"{"sku": "a b", "name": "n", "price": 1, "currency": "EUR"}"#, "sku"),
                        (#"{"sku": "S", "name": "n", "price": "9.99", "currency": "EUR"}"#, "price"),
                        (#"{"sku": "S", "name": "n", "price": -1, "currency": "EUR"}"#, "price"),
                        (#"{"sku": "S", "name": "n", "price": 1, "currency": "euro"}"#, "currency"),
                        (#"{"sku": "S", "name": "n", "price": 1, "currency": "EUR", "colour": "red"}"#, "colour"),
                        (#"{"sku": "S", "name": "n", "currency": "EUR"}"#, "price"),
                        (#"{"sku": "S", "name": "n", "price": 1, "currency": "EUR", "attributes": [1]}"#, "attributes"),
                    ]
                    for (body, field) in cases {
                        let response = try await client.json(.post, "/products", body: body)
                        #expect(response.status == .badRequest, "\(body)")
                        let errors = try response.object()["errors"] as? [[String: Any]]
                        #expect(errors?.first?["field"] as? String == field, "\(body): \(response.text)")
                    }
                    // A fraction is no price in minor units (Foundation's decoder does not say which field).
                    let fraction = try await client.json(
                        .post, "/products", body: #"{"sku": "S", "name": "n", "price": 9.99, "currency": "EUR"}"#)
                    #expect(fraction.status == .badRequest)
                }
            }
        }
    }
}
