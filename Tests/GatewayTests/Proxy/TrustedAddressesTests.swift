import Testing

@testable import Gateway

@Suite struct TrustedAddressesTests {
    @Test(arguments: [
        // list, address, whether the address is trusted
        ("127.0.0.1", "127.0.0.1", true),
        ("127.0.0.1", "127.0.0.2", false),
        ("10.0.0.0/8", "10.255.1.2", true),
        ("10.0.0.0/8", "11.0.0.0", false),
        ("10.1.2.3/8", "10.9.9.9", true),
        ("192.168.1.128/25", "192.168.1.200", true),
        ("192.168.1.128/25", "192.168.1.127", false),
        ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.0", false),
        ("1.2.3.4/32", "1.2.3.4", true),
        ("1.2.3.4/32", "1.2.3.5", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("0.0.0.0/0", "::1", false),
        ("::/0", "2001:db8::1", true),
        ("::/0", "8.8.8.8", true),
        ("::1", "::1", true),
        ("::1", "[::1]", true),
        ("::1", "::2", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("fe80::/10", "febf::1", true),
        ("fe80::/10", "fec0::1", false),
        ("2001:db8::1/128", "2001:db8::1", true),
        // An IPv6 block's prefix counts IPv6 bits, also when the block is written as IPv4-mapped.
        ("::ffff:10.0.0.0/104", "10.1.1.1", true),
        ("::ffff:10.0.0.0/104", "11.1.1.1", false),
        ("::ffff:0:0/96", "198.51.100.1", true),
        ("::ffff:0:0/96", "::1", false),
        ("10.0.0.1", "::ffff:10.0.0.1", true),
        ("127.0.0.1, 10.0.0.0/8 ,\t::1", "10.0.0.7", true),
        ("127.0.0.1, 10.0.0.0/8 ,\t::1", "::1", true),
        ("127.0.0.1,,10.0.0.0/8,", "10.0.0.7", true),
        ("127.0.0.1", "not-an-address", false),
        ("127.0.0.1", "", false),
    ])
    func containsTheAddressesOfItsBlocks(list: String, address: String, expected: Bool) throws {
        let trusted = try TrustedAddresses(parsing: list)
        #expect(trusted.contains(address[...]) == expected)
        #expect(!trusted.isEmpty)
    }

    @Test(arguments: ["", " ", ",", " , ,"])
    func anEmptyListTrustsNoOne(list: String) throws {
        let trusted = try TrustedAddresses(parsing: list)
        #expect(trusted.isEmpty)
        #expect(trusted == .none)
        #expect(!trusted.contains("127.0.0.1"))
    }

    @Test(arguments: [
        // list, the entry the error names
        ("localhost", "localhost"),
        ("127.0.0.1,10.0.0.0/33", "10.0.0.0/33"),
        ("::1/129", "::1/129"),
        ("10.0.0.0/-1", "10.0.0.0/-1"),
        ("10.0.0.0/", "10.0.0.0/"),
        ("10.0.0.0/eight", "10.0.0.0/eight"),
        ("10.0.0.0/8/8", "10.0.0.0/8/8"),
        ("/8", "/8"),
        ("1.2.3.4.5", "1.2.3.4.5"),
        (" 256.1.1.1 ,::1", "256.1.1.1"),
        ("::1, 2001:db8:::1", "2001:db8:::1"),
    ])
    func rejectsABadEntryNamingIt(list: String, entry: String) {
        let error = #expect(throws: TrustedAddressesError.self) { try TrustedAddresses(parsing: list) }
        #expect(error?.entry == entry)
    }

    @Test func errorDescriptionNamesTheOptionAndTheEntry() {
        let error = TrustedAddressesError(entry: "10.0.0.0/33")
        #expect(error.description == "--trusted-ips: expected an IP address or CIDR block, got \"10.0.0.0/33\"")
    }

    @Test(arguments: [
        // peer, X-Forwarded-For headers, client
        // An untrusted peer: its X-Forwarded-For is ignored.
        ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),
        // A trusted peer: the right-most untrusted hop.
        ("10.0.0.1", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.1", ["192.0.2.9, 198.51.100.1, 10.0.0.2"], "198.51.100.1"),
        ("10.0.0.1", ["192.0.2.9", "198.51.100.1 , 10.0.0.2"], "198.51.100.1"),
        ("10.0.0.1", ["2001:db8::7, 10.0.0.3"], "2001:db8::7"),
        // Every hop trusted: the left-most one.
        ("10.0.0.1", ["10.0.0.9, 10.0.0.8"], "10.0.0.9"),
        // No hops: the peer.
        ("10.0.0.1", [], "10.0.0.1"),
        ("10.0.0.1", [" , "], "10.0.0.1"),
        // The right-most untrusted hop is not an address: the peer, never the garbage.
        ("10.0.0.1", ["198.51.100.1, unknown"], "10.0.0.1"),
        ("10.0.0.1", ["198.51.100.1, 1.2.3.4:5678, 10.0.0.2"], "10.0.0.1"),
        // Garbage to the left of the right-most untrusted hop does not matter.
        ("10.0.0.1", ["<script>, 198.51.100.1"], "198.51.100.1"),
    ])
    func clientAddressIsTheRightMostUntrustedHop(peer: String, forwardedFor: [String], expected: String) throws {
        let trusted = try TrustedAddresses(parsing: "10.0.0.0/8")
        #expect(trusted.clientAddress(peer: peer, forwardedFor: forwardedFor) == expected)
    }

    @Test func trustingNoOneAlwaysAnswersThePeer() {
        let client = TrustedAddresses.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"])
        #expect(client == "127.0.0.1")
    }

    @Test func trustingEveryoneAnswersTheLeftMostHop() throws {
        let trusted = try TrustedAddresses(parsing: "0.0.0.0/0,::/0")
        let client = trusted.clientAddress(peer: "::1", forwardedFor: ["198.51.100.1, 2001:db8::1", "10.0.0.1"])
        #expect(client == "198.51.100.1")
    }
}
