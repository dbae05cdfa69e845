import Testing

@testable import Gateway

@Suite struct RouterErrorTests {
    private let location = ConfigLocation(file: "routes/orders.json", path: "routes[0].paths[1]")

    @Test func describesAnInvalidRegexWithItsLocation() {
        let reason = RouterError.Reason.invalidRegex(pattern: "/a(", message: "boom")
        let error = RouterError(route: "orders", location: self.location, reason: reason)
        #expect(error.description == #"routes/orders.json: routes[0].paths[1]: invalid regex "~/a(": boom"#)
    }

    @Test func describesAnInvalidPrefixWithItsLocation() {
        let reason = RouterError.Reason.invalidPrefix("/..", .climbsAboveRoot)
        let error = RouterError(route: "orders", location: self.location, reason: reason)
        #expect(error.description == #"routes/orders.json: routes[0].paths[1]: invalid path "/..": climbsAboveRoot"#)
    }
}
