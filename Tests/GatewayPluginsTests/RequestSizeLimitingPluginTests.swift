import Gateway
import GatewayTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import GatewayPlugins

@Suite struct RequestSizeLimitingPluginTests {
    private static func harness(_ config: String = "{}") throws -> PluginHarness {
        try PluginHarness(RequestSizeLimitingPlugin.self, config: config)
    }

    private static func post(length: Int, _ extra: [(String, String)] = []) -> TestRequest {
        TestRequest(.POST, "/upload", headers: HTTPHeaders([("Content-Length", String(length))] + extra))
    }

    private static func chunked(_ parts: [Int]) -> TestRequest {
        var request = TestRequest(.POST, "/upload", headers: ["Transfer-Encoding": "chunked"])
        request.bodyParts = parts.map { ByteBuffer(repeating: UInt8(ascii: "x"), count: $0) }
        return request
    }

    @Test func defaultsAreKongs() {
        var reader = PluginConfigReader(config: .object([]), file: "plugins.json", path: "plugins[0].config")
        let configuration = RequestSizeLimitingConfiguration(from: &reader)
        #expect(reader.errors.isEmpty)
        #expect(configuration.allowedPayloadSize == 128)
        #expect(configuration.sizeUnit == .megabytes)
        #expect(configuration.allowedBytes == 128 * 1_048_576)
        #expect(!configuration.requireContentLength)
        #expect(RequestSizeLimitingPlugin.priority == 951)
        #expect(RequestSizeLimitingPlugin.readsRequestBody)
    }

    @Test func contentLengthOverTheLimitIs413WithKongsMessage() async throws {
        let harness = try Self.harness(#"{"allowed_payload_size": 1}"#)
        let refused = try await harness.run(Self.post(length: 1_048_577))
        #expect(refused.wasAnswered)
        #expect(refused.response.status == .payloadTooLarge)
        #expect(refused.response.body == #"{"message":"Request size limit exceeded"}"#)
        #expect(refused.response.headers.first(name: "content-type") == "application/json; charset=utf-8")
        #expect(try await !harness.run(Self.post(length: 1_048_576)).wasAnswered)
    }

    @Test func sizeUnitsAreKongs() async throws {
        let kilobytes = try Self.harness(#"{"allowed_payload_size": 2, "size_unit": "kilobytes"}"#)
        #expect(try await kilobytes.run(Self.post(length: 2049)).response.status == .payloadTooLarge)
        #expect(try await !kilobytes.run(Self.post(length: 2048)).wasAnswered)
        let bytes = try Self.harness(#"{"allowed_payload_size": 10, "size_unit": "bytes"}"#)
        #expect(try await bytes.run(Self.post(length: 11)).response.status == .payloadTooLarge)
        #expect(try await !bytes.run(Self.post(length: 10)).wasAnswered)
    }

    @Test func aClientWaitingFor100ContinueGets417() async throws {
        let harness = try Self.harness(#"{"allowed_payload_size": 10, "size_unit": "bytes"}"#)
        let run = try await harness.run(Self.post(length: 11, [("Expect", " 100-Continue ")]))
        #expect(run.response.status == .expectationFailed)
        #expect(run.response.body == #"{"message":"Request size limit exceeded"}"#)
    }

    @Test func requiredContentLengthIs411WhenMissingUnlessChunked() async throws {
        let harness = try Self.harness(#"{"require_content_length": true}"#)
        let missing = try await harness.run(TestRequest(.POST, "/upload"))
        #expect(missing.response.status == .lengthRequired)
        #expect(missing.response.body == #"{"message":"A valid Content-Length header is required"}"#)
        #expect(try await !harness.run(Self.chunked([10])).wasAnswered)
        #expect(try await !harness.run(Self.post(length: 0)).wasAnswered)
        #expect(try await !Self.harness().run(TestRequest(.POST, "/upload")).wasAnswered)
    }

    @Test func aChunkedBodyIsCutOffOnceItPassesTheLimit() async throws {
        let harness = try Self.harness(#"{"allowed_payload_size": 1, "size_unit": "kilobytes"}"#)
        let within = try await harness.run(Self.chunked([512, 512]))
        #expect(within.upstreamRequest?.body.utf8.count == 1024)
        let over = try await harness.run(Self.chunked([512, 512, 1]))
        #expect(over.wasAnswered)
        #expect(over.response.status == .payloadTooLarge)
        #expect(over.response.body == #"{"message":"Request size limit exceeded"}"#)
    }

    @Test func badFieldsAreReportedWithTheirPaths() {
        let config = #"{"allowed_payload_size": -1, "size_unit": "gigabytes", "require_content_length": 1, "limit": 5}"#
        #expect(configErrorLines(RequestSizeLimitingPlugin.self, config) == [
            "plugins.json: plugins[0].config.allowed_payload_size: expected a non-negative integer, got -1",
            "plugins.json: plugins[0].config.limit: unknown field; allowed fields are allowed_payload_size, require_content_length, size_unit",
            "plugins.json: plugins[0].config.require_content_length: expected true or false, got 1",
            "plugins.json: plugins[0].config.size_unit: expected one of \"megabytes\", \"kilobytes\", \"bytes\", got \"gigabytes\"",
        ])
        #expect(configErrorLines(RequestSizeLimitingPlugin.self, #"{"allowed_payload_size": "ten"}"#) == [
            "plugins.json: plugins[0].config.allowed_payload_size: expected a non-negative integer, got \"ten\""
        ])
    }
}
