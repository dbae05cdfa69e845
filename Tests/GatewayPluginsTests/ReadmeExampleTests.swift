// The "Write your own plugin" example of README.md, compiled and run as it is printed there.
import Gateway
import GatewayTesting
import Testing

/// Answers 400 unless the request carries the configured header, and tells the upstream it was checked.
struct TenantHeaderPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var header: String

        init(from reader: inout PluginConfigReader) {
            self.header = reader.string("header", default: "X-Tenant")
        }
    }

    static let name = "tenant-header"
    static let priority = 900
    let configuration: Configuration

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
    }

    func access(_ request: PluginRequest) -> PluginAction {
        guard request.headers.contains(name: self.configuration.header) else {
            return .respond(.message(.badRequest, "missing \(self.configuration.header)"))
        }
        request.headers.add(name: "x-tenant-checked", value: "yes")
        return .proceed
    }
}

@Test func tenantHeaderIsRequired() async throws {
    let harness = try PluginHarness(TenantHeaderPlugin.self, config: #"{"header": "X-Org"}"#)

    let refused = try await harness.run(TestRequest(.GET, "/orders"))
    #expect(refused.response.status == .badRequest)
    #expect(refused.response.body == #"{"message":"missing X-Org"}"#)

    let passed = try await harness.run(TestRequest(.GET, "/orders", headers: ["X-Org": "acme"]))
    #expect(passed.upstreamHeaderChanges.addedValue("x-tenant-checked") == "yes")

    #expect(throws: ConfigErrors.self) { try PluginHarness(TenantHeaderPlugin.self, config: #"{"header": 1}"#) }
}
