import Testing

@testable import Gateway

@Suite struct JSONPathTests {
    @Test func joinsKeysWithDotsAndIndicesInBrackets() {
        let routes = JSONPath.member("routes", of: "")
        let path = JSONPath.element(0, of: JSONPath.member("paths", of: JSONPath.element(1, of: routes)))
        #expect(path == "routes[1].paths[0]")
        #expect(JSONPath.element(0, of: "") == "[0]")
    }

    @Test(arguments: [
        ("plugins[0].config", "plugins[0].config", true),
        ("plugins[0].config.secret", "plugins[0].config", true),
        ("plugins[0].config[1]", "plugins[0].config", true),
        ("plugins[0].configuration", "plugins[0].config", false),
        ("plugins[1]", "plugins[0].config", false),
        ("service", "", true),
    ])
    func knowsWhetherAPathIsWithinAnother(path: String, ancestor: String, isWithin: Bool) {
        #expect(JSONPath.path(path, isWithin: ancestor) == isWithin)
    }
}
