import Testing

@testable import Gateway

@Suite struct GatewayServerTests {
    @Test(arguments: [
        // text, host, port, description
        ("0.0.0.0:8000", "0.0.0.0", 8000, "0.0.0.0:8000"),
        ("127.0.0.1:0", "127.0.0.1", 0, "127.0.0.1:0"),
        ("localhost:65535", "localhost", 65535, "localhost:65535"),
        ("gateway.internal:80", "gateway.internal", 80, "gateway.internal:80"),
        ("[::1]:8001", "::1", 8001, "[::1]:8001"),
        ("[::]:8000", "::", 8000, "[::]:8000"),
        ("[2001:db8::1]:443", "2001:db8::1", 443, "[2001:db8::1]:443"),
    ])
    func parsesHostAndPort(text: String, host: String, port: Int, description: String) throws {
        let address = try #require(ListenAddress(parsing: text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == description)
        #expect(ListenAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        "", "8000", ":8000", "localhost", "localhost:", "localhost:http", "localhost:65536", "localhost:-1",
        "localhost:+80", "localhost: 80", "localhost:80 ", "[]:8000", "[::1]", "[::1]:", "[::1:8000", "::1]:8000",
        "local[host]:80", "localhost:99999999999999999999",
    ])
    func rejectsWhatIsNotHostAndPort(text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }
}
