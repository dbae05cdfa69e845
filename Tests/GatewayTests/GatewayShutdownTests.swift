import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// A graceful stop (what `SIGTERM` runs): the listeners close, in-flight requests finish up to the drain timeout,
/// idle connections close at once, and what is still running after the timeout is cut.
@Suite struct GatewayShutdownTests {
    @Test func inFlightRequestFinishesAndIdleConnectionsClose() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), drainTimeout: .seconds(60)) { gateway in
                let idle = try await gateway.httpClient()
                #expect(try await idle.request(.GET, "/echo/before").status == .ok)
                let busy = try await gateway.httpClient()
                let inFlight = Task { try await busy.request(.GET, "/echo/slow/2000", timeout: .seconds(60)) }
                try await eventually("the slow request to reach the upstream") { upstream.requestsSeen == 2 }

                let stopped = Task { await gateway.server.shutdown() }
                try await eventually("the idle connection to close") { !idle.isActive }
                let response = try await inFlight.value
                #expect(response.status == .ok)
                #expect(try response.echo().uri == "/slow/2000")
                await stopped.value
                // The busy connection closed after its response: nothing more goes through it.
                await #expect(throws: (any Error).self) { try await busy.request(.GET, "/echo/after", timeout: .seconds(10)) }
                await #expect(throws: (any Error).self) { try await gateway.httpClient() }
            }
        }
    }

    @Test func drainTimeoutCutsWhatIsStillRunning() async throws {
        try await withTestUpstream { upstream in
            try await withGateway(TestConfig.echo(port: upstream.port), drainTimeout: .milliseconds(300)) { gateway in
                let client = try await gateway.httpClient()
                let inFlight = Task { try await client.request(.GET, "/echo/slow/60000", timeout: .seconds(120)) }
                try await eventually("the slow request to reach the upstream") { upstream.requestsSeen == 1 }
                await gateway.server.shutdown()
                // Cut: the client's connection closes, or (when the loops close the upstream side first) the
                // gateway answers 502 before it does; the upstream's answer never comes.
                let outcome = await inFlight.result
                if case .success(let response) = outcome {
                    #expect(response.status == .badGateway)
                }
            }
        }
    }
}
