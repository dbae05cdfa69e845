import Testing

@testable import JWT

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 250) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("="))
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func usesTheURLAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func refusesPaddingStandardAlphabetAndImpossibleLengths() {
        #expect(Base64URL.decode("QQ==") == nil)
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("QUJDR") == nil)
        #expect(Base64URL.decode("a b") == nil)
        #expect(Base64URL.decode("QR") == nil)  // non-zero leftover bits
    }

    @Test func lenientDecodingAcceptsStandardBase64() {
        #expect(Base64URL.decodeLenient("+/8=") == [0xFB, 0xFF])
        #expect(Base64URL.decodeLenient("c2VjcmV0") == Array("secret".utf8))
    }
}
