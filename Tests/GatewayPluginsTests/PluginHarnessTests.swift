import Gateway
import GatewayTesting
import NIOCore
import NIOHTTP1
import Testing

/// A plugin exercising every phase the harness runs: it answers 403 after `open_until` (read on the injected
/// clock), defers its decision on `X-Later`, stops bodies over `max_body`, and rewrites JSON responses.
private struct ProbePlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var openUntil: Double
        var maxBody: Int

        init(from reader: inout PluginConfigReader) {
            self.openUntil = Double(reader.integer("open_until", in: 0...Int.max, default: Int.max) ?? Int.max)
            self.maxBody = reader.integer("max_body", in: 0...Int.max, default: 10) ?? 10
        }
    }

    enum Started: PluginContextKey {
        typealias Value = Double
    }

    static let name = "probe"
    static let priority = 10
    static let readsRequestBody = true
    let configuration: Configuration
    let clock: any GatewayClock

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
        self.clock = setup.clock
    }

    func access(_ request: PluginRequest) -> PluginAction {
        request.context[Started.self] = self.clock.now()
        if self.clock.now() > self.configuration.openUntil { return .respond(.message(.forbidden, "closed")) }
        guard request.headers.contains(name: "x-later") else { return .proceed }
        return .deferred(request.eventLoop.scheduleTask(in: .milliseconds(5)) { PluginAction.respond(.message(.accepted, "later")) }.futureResult)
    }

    func requestBody(_ request: PluginRequest, _ part: ByteBuffer) -> PluginReply? {
        request.bodyBytesReceived > self.configuration.maxBody ? .message(.payloadTooLarge, "big") : nil
    }

    func response(_ request: PluginRequest, _ response: PluginResponse) {
        response.headers.remove(name: "server")
        response.headers.add(name: "x-probe", value: "1")
        if response.headers.first(name: "content-type") == "application/json" { response.collectBody() }
    }

    func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer) {
        body = ByteBuffer(string: "{\"wrapped\":" + String(buffer: body) + "}")
    }
}

@Suite struct PluginHarnessTests {
    @Test func runsAccessAndResponsePhasesAndReportsTheirChanges() async throws {
        let harness = try PluginHarness(ProbePlugin.self)
        let run = try await harness.run(
            TestRequest(.GET, "/a?b=1"),
            upstream: TestResponse(headers: ["server": "up", "content-type": "application/json"], body: "[1]")
        )
        #expect(!run.wasAnswered)
        #expect(run.upstreamRequest?.path == "/a")
        #expect(run.upstreamRequest?.query == "b=1")
        #expect(run.response.body == #"{"wrapped":[1]}"#)
        #expect(run.response.headers.first(name: "content-length") == "15")
        #expect(run.clientHeaderChanges.removed("server"))
        #expect(run.clientHeaderChanges.addedValue("x-probe") == "1")
        #expect(run.context[ProbePlugin.Started.self] == harness.clock.now())
    }

    @Test func theInjectedClockDecides() async throws {
        let clock = TestClock(now: 1_000)
        let harness = try PluginHarness(ProbePlugin.self, config: #"{"open_until": 1500}"#, clock: clock)
        #expect(try await !harness.run(TestRequest()).wasAnswered)
        clock.advance(by: 501)
        let closed = try await harness.run(TestRequest())
        #expect(closed.response.status == .forbidden)
        #expect(closed.clientHeaderChanges.addedValue("x-probe") == "1")
    }

    @Test func deferredDecisionsAreAwaited() async throws {
        let run = try await PluginHarness(ProbePlugin.self).run(TestRequest(headers: ["x-later": "1"]))
        #expect(run.response.status == .accepted)
        #expect(run.response.body == #"{"message":"later"}"#)
    }

    @Test func bodyPartsGoThroughTheBodyPhase() async throws {
        let harness = try PluginHarness(ProbePlugin.self, config: #"{"max_body": 8}"#)
        var request = TestRequest(.POST, "/")
        request.bodyParts = [ByteBuffer(string: "12345"), ByteBuffer(string: "678")]
        #expect(try await harness.run(request).upstreamRequest?.body == "12345678")
        request.bodyParts.append(ByteBuffer(string: "9"))
        let refused = try await harness.run(request)
        #expect(refused.wasAnswered)
        #expect(refused.response.status == .payloadTooLarge)
    }

    @Test func badConfigurationsFailWithTheGatewaysErrors() {
        #expect {
            try PluginHarness(ProbePlugin.self, config: #"{"max_body": "sixty"}"#)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.description)
                == [#"plugins.json: plugins[0].config.max_body: expected an integer from 0 to \#(Int.max), got "sixty""#]
        }
    }

    @Test func callerIdentityHeadersAClientSendsAreRemovedAsByTheGateway() async throws {
        let run = try await PluginHarness(ProbePlugin.self).run(TestRequest(headers: ["X-Consumer-Username": "forged", "X-Other": "1"]))
        #expect(run.upstreamRequest?.headers.contains(name: "x-consumer-username") == false)
        #expect(run.upstreamRequest?.headers.first(name: "x-other") == "1")
    }

    @Test func unknownConsumersAreRefused() async throws {
        await #expect(throws: PluginHarnessError.self) {
            try await PluginHarness(ProbePlugin.self).run(TestRequest(consumer: "nobody"))
        }
    }
}
