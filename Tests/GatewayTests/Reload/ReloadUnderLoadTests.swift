import Foundation
import GatewayTesting
import NIOConcurrencyHelpers
import Testing

@testable import Gateway

/// Reloads under load: clients send requests without pause on keep-alive connections while the configuration is
/// switched between two upstreams every 200 ms for 10 s. No request may fail, and each reload's configuration
/// answers the next request.
@Suite struct ReloadUnderLoadTests {
    private static let bodies = [#"{"upstream":"a"}"#, #"{"upstream":"b"}"#]

    /// What the load clients saw: answers by body, and every failure described.
    private final class Tally: Sendable {
        let answers = NIOLockedValueBox<[String: Int]>([:])
        let failures = NIOLockedValueBox<[String]>([])
        let stop = NIOLockedValueBox(false)
    }

    @Test func noRequestFailsThroughAReloadEvery200msFor10s() async throws {
        try await withTwoUpstreams { a, b in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory, adjust: { $0.threads = 2 }) { gateway in
                let tally = Tally()
                let load = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 { group.addTask { await Self.sendUntilStopped(gateway, tally) } }
                    }
                }
                let admin = try await gateway.adminClient()
                let probe = try await gateway.httpClient()
                var mismatches: [String] = []
                for round in 0..<50 {
                    let upstream = round.isMultiple(of: 2) ? b : a
                    try directory.write(["routes/echo.json": ReloadFiles.echo(port: upstream.port)])
                    let reload = try await admin.request(.POST, "/reload")
                    if reload.status != .ok {
                        mismatches.append("round \(round): reload answered \(reload.status): \(reload.bodyText)")
                    }
                    // The next request on an open connection goes to the new upstream.
                    let expected = Self.bodies[round.isMultiple(of: 2) ? 1 : 0]
                    let answer = try await probe.request(.GET, "/probe")
                    if answer.bodyText != expected {
                        mismatches.append("round \(round): \(answer.status) \(answer.bodyText)")
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
                tally.stop.withLockedValue { $0 = true }
                await load.value
                await admin.close()
                await probe.close()

                #expect(mismatches == [])
                #expect(tally.failures.withLockedValue { $0 } == [])
                let answers = tally.answers.withLockedValue { $0 }
                #expect(Set(answers.keys) == Set(Self.bodies), "\(answers)")
                #expect(gateway.server.runtimes.current.generation == 50)
                #expect(gateway.server.reloader.statistics.failures == 0)
            }
        }
    }

    /// One keep-alive connection sending a request as soon as the last one was answered, until told to stop.
    private static func sendUntilStopped(_ gateway: GatewayFixture, _ tally: Tally) async {
        let client: HTTPTestClient
        do {
            client = try await gateway.httpClient()
        } catch {
            tally.failures.withLockedValue { $0.append("connect: \(error)") }
            return
        }
        while !tally.stop.withLockedValue({ $0 }) {
            do {
                let response = try await client.request(.GET, "/load")
                if response.status == .ok, Self.bodies.contains(response.bodyText) {
                    tally.answers.withLockedValue { $0[response.bodyText, default: 0] += 1 }
                } else {
                    tally.failures.withLockedValue { $0.append("\(response.status): \(response.bodyText)") }
                }
            } catch {
                tally.failures.withLockedValue { $0.append("\(error)") }
                break
            }
        }
        await client.close()
    }
}
