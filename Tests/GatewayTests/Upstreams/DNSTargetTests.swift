import NIOCore
import Testing

@testable import Gateway

/// Targets named by host name: resolved through a DNS server on loopback, and resolved again when the answer's TTL
/// ends.
@Suite struct DNSTargetTests {
    @Test func aTargetNameIsResolvedAgainWhenItsTTLEnds() async throws {
        let dns = try await TestDNSServer.start()
        let first = try await NamedUpstream.start("first", host: "127.0.0.1")
        // The same port on another loopback address: only the name's answer tells them apart.
        let second = try await NamedUpstream.start("second", host: "127.0.0.2", port: first.port)
        do {
            dns.answer([[127, 0, 0, 1]], ttl: 1)
            let upstream = Upstream(targets: [Target(host: "svc.acme.test", port: first.port)])
            try await withGateway(BalancingProxyTests.configuration(upstream), dnsResolver: [dns.address]) { gateway in
                let health = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                try await eventually("the name to resolve") { health.addresses[0].hasAddresses }
                #expect(try await BalancingProxyTests.names(gateway, count: 3) == ["first", "first", "first"])
                dns.answer([[127, 0, 0, 2]], ttl: 1)
                try await eventually("the new address to answer") {
                    try await gateway.request(.GET, "/").bodyText == "second"
                }
                #expect(health.addresses[0].current.addresses == ["127.0.0.2"])
                #expect(health.addresses[0].current.resolution == .resolved(ttl: 1))
            }
        } catch {
            await first.shutdown()
            await second.shutdown()
            await dns.shutdown()
            throw error
        }
        await first.shutdown()
        await second.shutdown()
        await dns.shutdown()
    }

    @Test func aNameThatDoesNotResolveHasNoPeer() async throws {
        let dns = try await TestDNSServer.start()
        do {
            let upstream = Upstream(targets: [Target(host: "nowhere.acme.test", port: 80)])
            try await withGateway(BalancingProxyTests.configuration(upstream), dnsResolver: [dns.address]) { gateway in
                let health = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                try await eventually("the resolution to end") { health.addresses[0].current.resolution != .pending }
                #expect(health.addresses[0].current.resolution == .failed("nowhere.acme.test: name not found"))
                let response = try await gateway.request(.GET, "/")
                #expect(response.status == .serviceUnavailable)
            }
        } catch {
            await dns.shutdown()
            throw error
        }
        await dns.shutdown()
    }
}
