import Testing

@testable import Gateway

@Suite struct HostPatternTests {
    @Test func parsesTheThreeForms() {
        #expect(HostPattern("api.example.com") == .exact("api.example.com"))
        #expect(HostPattern("*.example.com") == .suffix(".example.com"))
        #expect(HostPattern("example.*") == .prefix("example."))
        #expect(HostPattern("API.Example.COM") == .exact("api.example.com"))
        #expect(!HostPattern("api.example.com").isWildcard)
        #expect(HostPattern("*.example.com").isWildcard)
    }

    @Test(arguments: [
        ("example.com", "example.com", true),
        ("example.com", "www.example.com", false),
        ("*.example.com", "api.example.com", true),
        ("*.example.com", "a.b.example.com", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", ".example.com", false),
        ("*.example.com", "api.example.org", false),
        ("example.*", "example.org", true),
        ("example.*", "example.co.uk", true),
        ("example.*", "example.", false),
        ("example.*", "www.example.org", false),
    ])
    func matches(pattern: String, host: String, expected: Bool) {
        #expect(HostPattern(pattern).matches(host[...]) == expected)
    }

    @Test(arguments: [
        ("example.com", "example.com"),
        ("example.com:8000", "example.com"),
        ("Example.COM:443", "example.com"),
        ("[::1]:8000", "[::1]"),
        ("[::1]", "[::1]"),
        ("127.0.0.1:80", "127.0.0.1"),
        ("", ""),
    ])
    func requestKeyDropsThePortAndLowerCases(header: String, expected: String) {
        #expect(HostPattern.requestKey(header) == expected[...])
    }
}
