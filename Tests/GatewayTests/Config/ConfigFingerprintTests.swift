import Testing

@testable import Gateway

/// The content hash a loaded configuration carries (`/status`'s `configuration_hash`).
@Suite struct ConfigFingerprintTests {
    private static func hash(_ plugins: String, _ routes: [(name: String, contents: String)]) throws -> String? {
        try ConfigLoader.load(pluginsFile: plugins, routeFiles: routes, environment: [:], plugins: NoPlugins())
            .contentHash
    }

    private static let service = Self.service("a")

    private static func service(_ name: String) -> String {
        #"{"service": {"name": "\#(name)", "url": "http://127.0.0.1:1"}}"#
    }

    @Test func theSameFilesHashAlikeInAnyListingOrder() throws {
        let one = try Self.hash("{}", [("routes/a.json", Self.service), ("routes/b.json", Self.service("b"))])
        let two = try Self.hash("{}", [("routes/b.json", Self.service("b")), ("routes/a.json", Self.service)])
        #expect(one == two)
        #expect(one?.count == 16)
        #expect(one?.allSatisfy(\.isHexDigit) == true)
    }

    @Test func anyChangeChangesTheHash() throws {
        let base = try Self.hash("{}", [("routes/a.json", Self.service)])
        // Contents, white space, a file's name, and bytes moved from one file to the next.
        #expect(try Self.hash("{ }", [("routes/a.json", Self.service)]) != base)
        #expect(try Self.hash("{}", [("routes/c.json", Self.service)]) != base)
        #expect(try Self.hash("{}", [("routes/a.json", Self.service), ("routes/b.json", Self.service("b"))]) != base)
        let split = try Self.hash("{}", [("routes/a.json", Self.service), ("routes/b.json", Self.service("b") + " ")])
        let moved = try Self.hash("{}", [("routes/a.json", Self.service + " "), ("routes/b.json", Self.service("b"))])
        #expect(split != moved)
    }

    @Test func aConfigurationBuiltInCodeHasNoHash() {
        #expect(GatewayConfiguration().contentHash == nil)
    }
}
