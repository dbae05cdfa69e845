import NIOHTTP1
import Testing

@testable import Gateway

@Suite struct RouteFilterTests {
    @Test func emptyFilterAcceptsAnything() {
        let filter = RouteFilter(route: .fixture("any"))
        #expect(filter.accepts(method: "DELETE", headers: [:]))
    }

    @Test func methodsMustMatchExactly() {
        let filter = RouteFilter(route: .fixture("r", methods: ["GET", "POST"]))
        #expect(filter.accepts(method: "GET", headers: [:]))
        #expect(filter.accepts(method: "POST", headers: [:]))
        #expect(!filter.accepts(method: "PUT", headers: [:]))
        #expect(!filter.accepts(method: "get", headers: [:]))
    }

    @Test func headerNamesAndValuesCompareCaseInsensitively() {
        let filter = RouteFilter(route: .fixture("r", headers: ["x-version": ["v1", "V2"]]))
        #expect(filter.accepts(method: "GET", headers: ["X-Version": "v1"]))
        #expect(filter.accepts(method: "GET", headers: ["x-version": "V1"]))
        #expect(filter.accepts(method: "GET", headers: ["X-VERSION": "v2"]))
        #expect(!filter.accepts(method: "GET", headers: ["X-Version": "v3"]))
        #expect(!filter.accepts(method: "GET", headers: ["X-Other": "v1"]))
        #expect(!filter.accepts(method: "GET", headers: [:]))
        #expect(!filter.accepts(method: "GET", headers: ["X-Version": "v1x"]))
    }

    @Test func anyLineOfARepeatedHeaderMayMatch() {
        let filter = RouteFilter(route: .fixture("r", headers: ["x-tenant": ["acme"]]))
        #expect(filter.accepts(method: "GET", headers: ["X-Tenant": "other", "X-Tenant": "Acme"]))
    }

    @Test func everyNamedHeaderMustMatch() {
        let filter = RouteFilter(route: .fixture("r", methods: ["GET"], headers: ["a": ["1"], "b": ["2"]]))
        #expect(filter.accepts(method: "GET", headers: ["A": "1", "B": "2"]))
        #expect(!filter.accepts(method: "GET", headers: ["A": "1"]))
        #expect(!filter.accepts(method: "POST", headers: ["A": "1", "B": "2"]))
    }
}
