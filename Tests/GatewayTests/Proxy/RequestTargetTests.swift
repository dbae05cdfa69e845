import Testing

@testable import Gateway

@Suite struct RequestTargetTests {
    @Test(arguments: [
        // target, path, query (nil: none)
        ("/", "/", nil),
        ("/api/orders", "/api/orders", nil),
        ("/api/orders?", "/api/orders", ""),
        ("/api/orders?a=1&b=%20x&&c=", "/api/orders", "a=1&b=%20x&&c="),
        ("/a?b?c", "/a", "b?c"),
        ("/a?%zz+%2F#x", "/a", "%zz+%2F#x"),
        ("/%7Euser/./x", "/%7Euser/./x", nil),
        ("//double", "//double", nil),
    ] as [(String, String, String?)])
    func parsesTheOriginForm(target: String, path: String, query: String?) throws {
        let parsed = try #require(RequestTarget(target))
        #expect(parsed.path == path[...])
        #expect(parsed.query == query?[...])
        #expect(parsed.host == nil)
    }

    @Test(arguments: [
        // target, host, path, query
        ("http://api.example.com/orders?id=7", "api.example.com", "/orders", "id=7"),
        ("http://api.example.com:8000/orders", "api.example.com:8000", "/orders", nil),
        ("HTTPS://API.example.com/", "API.example.com", "/", nil),
        ("http://api.example.com", "api.example.com", "/", nil),
        ("http://api.example.com?", "api.example.com", "/", ""),
        ("http://api.example.com?q=1", "api.example.com", "/", "q=1"),
        ("http://[::1]:8000/x?y", "[::1]:8000", "/x", "y"),
    ] as [(String, String, String, String?)])
    func parsesTheAbsoluteForm(target: String, host: String, path: String, query: String?) throws {
        let parsed = try #require(RequestTarget(target))
        #expect(parsed.host == host[...])
        #expect(parsed.path == path[...])
        #expect(parsed.query == query?[...])
    }

    @Test(arguments: [
        "*", "", "api/orders", "?a=1", "example.com:443", "ftp://example.com/", "http:/example.com/", "http//x/",
        "://example.com/", "mailto:a@example.com",
        // RFC 9110 4.2.1: an http URI with an empty host is invalid.
        "http:///orders", "http://?q", "http://",
    ])
    func rejectsOtherForms(target: String) {
        #expect(RequestTarget(target) == nil)
    }
}
