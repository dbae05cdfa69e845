import NIOCore
import Testing

@testable import Gateway

@Suite struct DNSMessageTests {
    @Test func aQueryAsksForOneNameRecursively() throws {
        let query = try #require(DNSMessage.query(id: 0x1234, name: "api.example.com", type: .a))
        #expect(Array(query.readableBytesView) == [
            0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            3, 0x61, 0x70, 0x69, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 3, 0x63, 0x6f, 0x6d, 0,
            0, 1, 0, 1,
        ])
        #expect(DNSMessage.query(id: 1, name: "a..b", type: .a) == nil)
    }

    @Test func anAnswerGivesItsAddressesAndTheSmallestTTL() throws {
        var answer = try #require(DNSMessage.query(id: 7, name: "svc.test", type: .a))
        answer.setInteger(UInt16(0x8180), at: 2)
        answer.setInteger(UInt16(2), at: 6)
        for (address, ttl) in [([UInt8]([10, 0, 0, 1]), UInt32(30)), ([10, 0, 0, 2], 5)] {
            answer.writeBytes([0xC0, 12])
            answer.writeInteger(UInt16(1))
            answer.writeInteger(UInt16(1))
            answer.writeInteger(ttl)
            answer.writeInteger(UInt16(4))
            answer.writeBytes(address)
        }
        #expect(try DNSMessage.parse(answer, type: .a) == .addresses(["10.0.0.1", "10.0.0.2"], ttl: 5))
    }

    @Test func nxdomainIsNotFound() throws {
        var answer = try #require(DNSMessage.query(id: 7, name: "nowhere.test", type: .a))
        answer.setInteger(UInt16(0x8183), at: 2)
        #expect(try DNSMessage.parse(answer, type: .a) == .notFound)
    }

    @Test func aTruncatedAnswerIsAnError() throws {
        var answer = try #require(DNSMessage.query(id: 7, name: "svc.test", type: .a))
        answer.setInteger(UInt16(0x8180), at: 2)
        answer.setInteger(UInt16(1), at: 6)
        answer.writeBytes([0xC0, 12, 0, 1])
        #expect(throws: DNSMessage.ParseError.self) { try DNSMessage.parse(answer, type: .a) }
    }

    @Test func theHostsFileIsReadLikeTheSystemReadsIt() {
        let hosts = HostsFile(contents: """
            127.0.0.1 localhost  # loopback
            ::1\tlocalhost ip6-localhost
            # 10.0.0.9 commented.test
            10.1.2.3 Service.Test other
            """)
        // IPv4 first: IPv6 addresses only for a name without IPv4 ones.
        #expect(hosts.addresses(of: "localhost") == ["127.0.0.1"])
        #expect(hosts.addresses(of: "ip6-localhost") == ["::1"])
        #expect(hosts.addresses(of: "service.test") == ["10.1.2.3"])
        #expect(hosts.addresses(of: "commented.test") == nil)
    }
}
