import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// Load balancing through the proxy, to real upstreams on loopback.
@Suite struct BalancingProxyTests {
    static func configuration(_ upstream: Upstream, retries: Int = 5) -> GatewayConfiguration {
        GatewayConfiguration(services: [
            Service(
                name: "pool",
                upstream: upstream,
                connectTimeout: 2_000,
                readTimeout: 10_000,
                writeTimeout: 10_000,
                retries: retries,
                routes: [TestConfig.route("pool", service: "pool", paths: ["/"])],
                location: TestConfig.location
            )
        ])
    }

    /// The body (the upstream's name) of each of `count` requests on one keep-alive connection.
    static func names(_ gateway: GatewayFixture, count: Int, path: String = "/", headers: [(String, String)] = []) async throws -> [String] {
        let client = try await gateway.httpClient()
        var names: [String] = []
        do {
            for _ in 0..<count {
                let response = try await client.request(.GET, path, headers: headers)
                names.append(response.status == .ok ? response.bodyText : "status \(response.status.code)")
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        return names
    }

    @Test func roundRobinSpreadsRequestsByWeight() async throws {
        try await withNamedUpstreams(["a", "b", "c", "d"]) { upstreams in
            var targets = upstreams.map(\.target)
            targets[3].weight = 300
            try await withGateway(Self.configuration(Upstream(targets: targets))) { gateway in
                let names = try await Self.names(gateway, count: 60)
                #expect(names.filter { $0 == "a" }.count == 10)
                #expect(names.filter { $0 == "b" }.count == 10)
                #expect(names.filter { $0 == "c" }.count == 10)
                #expect(names.filter { $0 == "d" }.count == 30)
            }
        }
    }

    @Test func consistentHashingKeepsEachKeyOnOneTarget() async throws {
        try await withNamedUpstreams(["a", "b", "c"]) { upstreams in
            let upstream = Upstream(targets: upstreams.map(\.target), algorithm: .consistentHashing, hashOn: .header("X-User"))
            try await withGateway(Self.configuration(upstream)) { gateway in
                var chosen: Set<String> = []
                for user in 0..<12 {
                    let names = try await Self.names(gateway, count: 4, headers: [("X-User", "user-\(user)")])
                    #expect(Set(names).count == 1, "user-\(user) went to \(names)")
                    chosen.formUnion(names)
                }
                #expect(chosen.count > 1)
            }
        }
    }

    @Test func hashingOnACookieSetsOneWhenTheRequestHasNone() async throws {
        try await withNamedUpstreams(["a", "b", "c"]) { upstreams in
            let upstream = Upstream(
                targets: upstreams.map(\.target),
                algorithm: .consistentHashing,
                hashOn: .cookie(name: "sticky", path: "/app")
            )
            try await withGateway(Self.configuration(upstream)) { gateway in
                let first = try await gateway.request(.GET, "/")
                let setCookie = try #require(first.headers.first(name: "set-cookie"))
                #expect(setCookie.hasPrefix("sticky=") && setCookie.hasSuffix("; Path=/app"))
                let cookie = String(setCookie.prefix { $0 != ";" })
                let names = try await Self.names(gateway, count: 5, headers: [("Cookie", "other=1; \(cookie)")])
                #expect(names == Array(repeating: first.bodyText, count: 5))
                let again = try await gateway.request(.GET, "/", headers: [("Cookie", cookie)])
                #expect(again.headers.first(name: "set-cookie") == nil)
            }
        }
    }

    @Test func aRefusedTargetIsRetriedOnTheNextOne() async throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        try await withNamedUpstreams(["a"]) { upstreams in
            let targets = [Target(host: "127.0.0.1", port: refusing.port), upstreams[0].target]
            try await withGateway(Self.configuration(Upstream(targets: targets), retries: 1)) { gateway in
                let names = try await Self.names(gateway, count: 6)
                #expect(names == Array(repeating: "a", count: 6))
            }
        }
    }

    @Test func passiveChecksTakeAFailingTargetOutOfTheRotation() async throws {
        try await withNamedUpstreams(["a", "b"]) { upstreams in
            var upstream = Upstream(targets: upstreams.map(\.target))
            upstream.healthchecks.passive.unhealthy.httpFailures = 2
            upstreams[0].answer(status: 500)
            try await withGateway(Self.configuration(upstream)) { gateway in
                let names = try await Self.names(gateway, count: 12)
                // a answers 500 twice (passed on to the client, as Kong does), then gets nothing.
                #expect(names.filter { $0 == "status 500" }.count == 2)
                #expect(names.suffix(8) == Array(repeating: "b", count: 8))
                let health = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                #expect(!health.targets[0].isHealthy)
                #expect(health.targets[0].snapshot.reason == "passive check: 2 HTTP failures in a row (last status 500)")
                #expect(health.targets[1].isHealthy)
            }
        }
    }

    @Test func noHealthyTargetAnswers503WithKongsMessage() async throws {
        try await withNamedUpstreams(["a"]) { upstreams in
            var upstream = Upstream(targets: upstreams.map(\.target))
            upstream.healthchecks.passive.unhealthy.httpFailures = 1
            upstreams[0].answer(status: 503)
            try await withGateway(Self.configuration(upstream)) { gateway in
                #expect(try await gateway.request(.GET, "/").status == .serviceUnavailable)
                let refused = try await gateway.request(.GET, "/")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.bodyText.contains("failure to get a peer from the ring-balancer"))
                #expect(upstreams[0].requests == 1)
            }
        }
    }

    @Test func activeChecksProbeTargetsAndBringThemBack() async throws {
        try await withNamedUpstreams(["a", "b"]) { upstreams in
            var upstream = Upstream(targets: upstreams.map(\.target))
            upstream.healthchecks.active = Healthchecks.Active(
                timeout: 1,
                httpPath: "/health",
                healthy: .init(interval: 0.05, httpStatuses: [200], successes: 2),
                unhealthy: .init(interval: 0.05, httpStatuses: [500, 503], httpFailures: 2)
            )
            upstreams[0].answerProbes(status: 503)
            try await withGateway(Self.configuration(upstream)) { gateway in
                let health = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                try await eventually("the target to turn unhealthy") { !health.targets[0].isHealthy }
                #expect(health.targets[0].snapshot.reason == "active check: 2 HTTP failures in a row (last status 503)")
                let before = upstreams[0].requests
                let names = try await Self.names(gateway, count: 6)
                #expect(names == Array(repeating: "b", count: 6))
                #expect(upstreams[0].requests == before)
                upstreams[0].answerProbes(status: 200)
                try await eventually("the target to turn healthy") { health.targets[0].isHealthy }
                let later = try await Self.names(gateway, count: 6)
                #expect(later.contains("a"))
            }
        }
    }

    @Test func leastConnectionsSendsToTheLessBusyTarget() async throws {
        try await withTestUpstream { slow in
            try await withNamedUpstreams(["fast"]) { upstreams in
                let upstream = Upstream(targets: [slow.target, upstreams[0].target], algorithm: .leastConnections)
                try await withGateway(Self.configuration(upstream)) { gateway in
                    // Requests to /slow/2000 until one is held at the slow target (the fast one answers at once).
                    let client = try await gateway.httpClient()
                    var held: Task<TestResponse, any Error>?
                    for _ in 0..<10 where held == nil {
                        let seen = slow.requestsSeen
                        let answered = upstreams[0].requests
                        let attempt = Task { try await client.request(.GET, "/slow/2000") }
                        try await eventually("a target to see the request") {
                            slow.requestsSeen > seen || upstreams[0].requests > answered
                        }
                        if slow.requestsSeen > seen { held = attempt } else { _ = try await attempt.value }
                    }
                    let busy = try #require(held)
                    // One in flight at the slow target: the next ones, on other connections, go to the fast one.
                    let before = upstreams[0].requests
                    let names = try await Self.names(gateway, count: 4)
                    #expect(names == Array(repeating: "fast", count: 4))
                    #expect(upstreams[0].requests == before + 4)
                    #expect(try await busy.value.status == .ok)
                    await client.close()
                }
            }
        }
    }
}

extension TestUpstream {
    var target: Target { Target(host: "127.0.0.1", port: self.port) }
}

/// Health state across reloads.
@Suite struct UpstreamReloadTests {
    @Test func healthOfAnUnchangedUpstreamSurvivesAReloadAndAChangedOneStartsAfresh() async throws {
        try await withNamedUpstreams(["a", "b"]) { upstreams in
            var upstream = Upstream(targets: upstreams.map(\.target))
            upstream.healthchecks.passive.unhealthy.httpFailures = 1
            upstreams[0].answer(status: 500)
            let configuration = BalancingProxyTests.configuration(upstream)
            try await withGateway(configuration) { gateway in
                _ = try await BalancingProxyTests.names(gateway, count: 4)
                let health = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                #expect(!health.targets[0].isHealthy)

                // The same upstream (another route added): the same health, a still out of the rotation.
                var same = configuration
                same.services[0].routes.append(TestConfig.route("extra", service: "pool", paths: ["/extra"]))
                try gateway.server.reload(same)
                #expect(gateway.server.upstreamRegistry.health(named: "pool") === health)
                #expect(try await BalancingProxyTests.names(gateway, count: 4) == ["b", "b", "b", "b"])

                // A changed upstream (a weight): its health starts again, every target healthy.
                var changed = configuration
                changed.services[0].upstream.targets[1].weight = 50
                try gateway.server.reload(changed)
                let fresh = try #require(gateway.server.upstreamRegistry.health(named: "pool"))
                #expect(fresh !== health)
                #expect(fresh.targets.allSatisfy { $0.isHealthy })
            }
        }
    }
}
