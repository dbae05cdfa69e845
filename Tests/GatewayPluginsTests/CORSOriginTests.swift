import Testing

@testable import GatewayPlugins

@Suite struct CORSOriginTests {
    @Test(arguments: [
        ("https://app.example.com", "https://app.example.com", "app.example.com"),
        ("https://app.example.com:443", "https://app.example.com", "app.example.com"),
        ("http://app.example.com:80", "http://app.example.com", "app.example.com"),
        ("https://app.example.com:80", "https://app.example.com:80", "app.example.com"),
        ("http://app.example.com/path?q#f", "http://app.example.com", "app.example.com"),
        ("https://user:secret@app.example.com:443", "https://app.example.com", "app.example.com"),
        ("http://[::1]:8080", "http://[::1]:8080", "::1"),
        ("//app.example.com:8080", "app.example.com:8080", "app.example.com"),
        ("null", "null", "null"),
        ("app.example.com", "app.example.com", "app.example.com"),
        ("http://", "http://", "http://"),
    ])
    func normalisesAsKong(origin: String, domain: String, host: String) {
        let normalized = CORSOrigin(origin)
        #expect(normalized.domain == domain)
        #expect(normalized.host == host)
        #expect(normalized.domainValue == domain)
    }
}
