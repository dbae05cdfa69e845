import Testing

@testable import Gateway

@Suite struct IPAddressBytesTests {
    private static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    @Test(arguments: [
        ("127.0.0.1", [127, 0, 0, 1]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255, 255, 255, 255]),
    ] as [(String, [UInt8])])
    func mapsIPv4IntoIPv6(text: String, expected: [UInt8]) {
        let bytes = IPAddressBytes.parse(text[...])
        #expect(bytes == Self.mappedPrefix + expected)
        #expect(bytes.map(IPAddressBytes.isMappedIPv4) == true)
    }

    @Test(arguments: [
        ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("::", [UInt8](repeating: 0, count: 16)),
        ("[::1]", [UInt8](repeating: 0, count: 15) + [1]),
        ("2001:db8::8a2e:370:7334", [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0x8A, 0x2E, 0x03, 0x70, 0x73, 0x34]),
        ("2001:DB8:0:0:0:0:0:1", [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
        ("fe80::", [0xFE, 0x80] + [UInt8](repeating: 0, count: 14)),
        ("1:2:3:4:5:6:7::", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]),
        ("::ffff:192.0.2.1", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 1]),
        ("64:ff9b::10.0.0.1", [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1]),
    ] as [(String, [UInt8])])
    func parsesIPv6(text: String, expected: [UInt8]) {
        #expect(IPAddressBytes.parse(text[...]) == expected)
    }

    @Test func tellsMappedIPv4FromIPv6() throws {
        #expect(try IPAddressBytes.isMappedIPv4(#require(IPAddressBytes.parse("::ffff:1.2.3.4"))))
        #expect(try !IPAddressBytes.isMappedIPv4(#require(IPAddressBytes.parse("::1"))))
        #expect(try !IPAddressBytes.isMappedIPv4(#require(IPAddressBytes.parse("::fffe:1.2.3.4"))))
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.0004", "+1.2.3.4",
        "1.2.3.-4", "localhost", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1",
        ":1::", "1::2:", "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "+1::", "-0::",
        "[::1", "::1]", "1.2.3.4:80", "1.2.3.4::", "1.2.3.4::1", "::1.2.3.4:1", "::0x1", "::fe80%eth0",
    ])
    func rejectsWhatIsNotAnAddress(text: String) {
        #expect(IPAddressBytes.parse(text[...]) == nil)
    }
}
