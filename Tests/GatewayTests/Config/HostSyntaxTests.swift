import Testing

@testable import Gateway

@Suite struct HostSyntaxConfigTests {
    @Test(arguments: ["example.com", "localhost", "my_service", "a-b.c", "xn--bcher-kva.example", "a1.b2"])
    func acceptsDNSNames(name: String) {
        #expect(HostSyntax.isDNSName(name[...]))
    }

    @Test(arguments: [
        "", "-a.com", "a-.com", "a..com", "a.com.", "exa mple.com", "1.2.3", "256.1.1.1", "bücher.de",
        String(repeating: "a", count: 64) + ".com",
    ])
    func rejectsOtherNames(name: String) {
        #expect(!HostSyntax.isDNSName(name[...]))
    }

    @Test func acceptsIPv4WithoutLeadingZeros() {
        #expect(HostSyntax.isIPv4("127.0.0.1"))
        #expect(HostSyntax.isIPv4("255.255.255.255"))
        #expect(!HostSyntax.isIPv4("256.0.0.1"))
        #expect(!HostSyntax.isIPv4("01.2.3.4"))
        #expect(!HostSyntax.isIPv4("1.2.3"))
    }

    @Test(arguments: ["::", "::1", "1::", "fe80::1:2", "2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.1", "1:2:3:4:5:6::8"])
    func acceptsIPv6(address: String) {
        #expect(HostSyntax.isIPv6(address[...]))
    }

    @Test(arguments: [
        ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1.2.3.4::", "::1%eth0",
        "1:2:3:4:5:6:7::8",
    ])
    func rejectsOtherIPv6(address: String) {
        #expect(!HostSyntax.isIPv6(address[...]))
    }

    @Test func parsesAuthorities() throws {
        #expect(try HostSyntax.authority("example.com").get() == .init(host: "example.com", port: nil))
        #expect(try HostSyntax.authority("10.0.0.1:8080").get() == .init(host: "10.0.0.1", port: 8080))
        #expect(try HostSyntax.authority("[::1]:8080").get() == .init(host: "::1", port: 8080))
        #expect(try HostSyntax.authority("[::1]").get().bracketedHost == "[::1]")
        #expect(throws: HostSyntax.AuthorityError.port) { try HostSyntax.authority("a:0").get() }
        #expect(throws: HostSyntax.AuthorityError.port) { try HostSyntax.authority("a:65536").get() }
        #expect(throws: HostSyntax.AuthorityError.port) { try HostSyntax.authority("a:").get() }
        #expect(throws: HostSyntax.AuthorityError.port) { try HostSyntax.authority("a:+80").get() }
        #expect(throws: HostSyntax.AuthorityError.port) { try HostSyntax.authority("[::1]80").get() }
        #expect(throws: HostSyntax.AuthorityError.host) { try HostSyntax.authority("::1").get() }
        #expect(throws: HostSyntax.AuthorityError.host) { try HostSyntax.authority("[::1").get() }
        #expect(throws: HostSyntax.AuthorityError.host) { try HostSyntax.authority(":80").get() }
    }

    @Test func acceptsHostPatternsWithOneLeadingOrTrailingWildcard() {
        #expect(HostSyntax.isHostPattern("api.example.com"))
        #expect(HostSyntax.isHostPattern("*.example.com"))
        #expect(HostSyntax.isHostPattern("example.*"))
        #expect(HostSyntax.isHostPattern("10.0.0.1"))
        #expect(!HostSyntax.isHostPattern("*.example.*"))
        #expect(!HostSyntax.isHostPattern("a.*.com"))
        #expect(!HostSyntax.isHostPattern("*example.com"))
        #expect(!HostSyntax.isHostPattern("*"))
    }

    @Test func acceptsURLPathsAndHTTPTokens() {
        #expect(HostSyntax.isURLPath(""))
        #expect(HostSyntax.isURLPath("/v1/a%20b/~x;y=z"))
        #expect(!HostSyntax.isURLPath("/a b"))
        #expect(!HostSyntax.isURLPath("/a%2"))
        #expect(!HostSyntax.isURLPath("/é"))
        #expect(HostSyntax.isToken("X-Request-ID"))
        #expect(!HostSyntax.isToken("GE T"))
        #expect(!HostSyntax.isToken(""))
    }
}
