import Testing

@testable import Gateway

@Suite struct PathRegexTests {
    @Test func matchesAtTheStartOfThePathAndReturnsTheMatchedLength() throws {
        let regex = try PathRegex(#"/orders/\d+"#)
        #expect(regex.prefixMatchLength(in: "/orders/12/items") == 10)
        #expect(regex.prefixMatchLength(in: "/orders/12") == 10)
        #expect(regex.prefixMatchLength(in: "/api/orders/12") == nil)
        #expect(regex.prefixMatchLength(in: "/orders/x") == nil)
    }

    @Test func endAnchorAndAlternationWork() throws {
        let regex = try PathRegex("/(users|orders)$")
        #expect(regex.prefixMatchLength(in: "/users") == 6)
        #expect(regex.prefixMatchLength(in: "/orders") == 7)
        #expect(regex.prefixMatchLength(in: "/users/1") == nil)
    }

    @Test func namedCapturesCompile() throws {
        let regex = try PathRegex("/users/(?<id>[a-z0-9-]+)")
        #expect(regex.prefixMatchLength(in: "/users/ab-12/x") == 12)
    }

    @Test func lengthIsInUTF8Bytes() throws {
        let regex = try PathRegex("/caf.")
        #expect(regex.prefixMatchLength(in: "/café/x") == 6)
    }

    @Test func matchesASubstringFromItsOwnStart() throws {
        let path = "/v1/orders/7"
        #expect(try PathRegex("/orders").prefixMatchLength(in: path.dropFirst(3)) == 7)
    }

    @Test func invalidPatternThrows() {
        #expect(throws: (any Error).self) { try PathRegex("/orders/(") }
    }

    @Test func describesItselfWithTheTilde() throws {
        #expect(try PathRegex("/a.*").description == "~/a.*")
    }
}
