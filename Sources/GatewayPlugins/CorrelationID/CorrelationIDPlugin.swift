import Atomics
import Foundation
import Gateway

/// Kong's `correlation-id`: gives each request an ID in a header (keeping one the client sent), for the upstream
/// and, with `echo_downstream`, for the client.
public struct CorrelationIDPlugin: GatewayPlugin {
    public static let name = "correlation-id"
    public static let priority = 100_001

    private let configuration: CorrelationIDConfiguration
    private let seed: String
    private let counter = ManagedAtomic<Int>(0)

    public init(configuration: CorrelationIDConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        self.seed = UUID().uuidString.lowercased()
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        if request.headers.first(name: self.configuration.headerName)?.isEmpty ?? true {
            request.headers.replaceOrAdd(name: self.configuration.headerName, value: self.nextID())
        }
        return .proceed
    }

    public func response(_ request: PluginRequest, _ response: PluginResponse) {
        guard self.configuration.echoDownstream, let id = request.headers.first(name: self.configuration.headerName)
        else { return }
        response.headers.replaceOrAdd(name: self.configuration.headerName, value: id)
    }

    private func nextID() -> String {
        switch self.configuration.generator {
        case .uuid:
            return UUID().uuidString.lowercased()
        case .uuidCounter:
            return self.seed + "#" + String(self.counter.wrappingIncrementThenLoad(ordering: .relaxed))
        }
    }
}
