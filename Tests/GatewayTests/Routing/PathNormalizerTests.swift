import Testing

@testable import Gateway

@Suite struct PathNormalizerTests {
    @Test(arguments: [
        ("/", "/"),
        ("/api/orders", "/api/orders"),
        ("/api/orders/", "/api/orders/"),
        // Unreserved characters are decoded, in either case of hex.
        ("/%41%62%63", "/Abc"),
        ("/%7euser/%2d%2E%5F%30", "/~user/-._0"),
        // Other encodings are kept, hex upper-cased; an encoded slash stays encoded.
        ("/a%2Fb", "/a%2Fb"),
        ("/a%2fb", "/a%2Fb"),
        ("/caf%c3%a9", "/caf%C3%A9"),
        ("/a%20b%3F", "/a%20b%3F"),
        // Dot segments.
        ("/a/./b", "/a/b"),
        ("/a/b/../c", "/a/c"),
        ("/a/.", "/a/"),
        ("/a/b/..", "/a/"),
        ("/a/..", "/"),
        ("/.", "/"),
        ("/./a", "/a"),
        ("/a/%2e/b", "/a/b"),
        ("/a/%2E%2E/b", "/b"),
        ("/a/.%2e/b", "/b"),
        // `..%2F` is a segment of its own, not `..` followed by a separator.
        ("/a/.%2E/..%2f", "/..%2F"),
        // Dots that are not whole segments are ordinary characters.
        ("/a/..b/c.", "/a/..b/c."),
        ("/.well-known/jwks.json", "/.well-known/jwks.json"),
        ("/a/.../b", "/a/.../b"),
        // Empty segments are kept, as Kong keeps them.
        ("//a//b/", "//a//b/"),
        ("/a//../b", "/a/b"),
        ("//..", "/"),
    ])
    func normalizes(path: String, expected: String) throws {
        #expect(try PathNormalizer.normalize(path[...]) == expected)
    }

    @Test(arguments: [
        ("/..", PathNormalizationError.climbsAboveRoot),
        ("/../x", .climbsAboveRoot),
        ("/a/../../x", .climbsAboveRoot),
        ("/./..", .climbsAboveRoot),
        ("/%2e%2e/x", .climbsAboveRoot),
        ("/a/%2E%2E/%2e%2e", .climbsAboveRoot),
        ("a/b", .notAbsolute),
        ("", .notAbsolute),
        ("*", .notAbsolute),
        ("/a%00b", .nulByte),
        ("/a\0b", .nulByte),
        ("/a%zz", .invalidPercentEncoding),
        ("/a%4", .invalidPercentEncoding),
        ("/a%", .invalidPercentEncoding),
    ])
    func rejects(path: String, error: PathNormalizationError) {
        #expect(throws: error) { try PathNormalizer.normalize(path[...]) }
    }

    @Test func normalizesASubstringOfALongerString() throws {
        let target = "/api/%7Ebob/../orders?x=/.."
        let path = target[..<target.firstIndex(of: "?")!]
        #expect(try PathNormalizer.normalize(path) == "/api/orders")
    }
}
