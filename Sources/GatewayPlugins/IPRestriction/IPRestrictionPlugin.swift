import Gateway
import NIOHTTP1

/// Kong's `ip-restriction`: refuses clients whose address is denied, or not allowed when an allow list is set.
/// The address is the client's as the gateway sees it (`--trusted-ips` applied).
public struct IPRestrictionPlugin: GatewayPlugin {
    public static let name = "ip-restriction"
    public static let priority = 990

    private let configuration: IPRestrictionConfiguration

    public init(configuration: IPRestrictionConfiguration, setup: PluginSetup) {
        self.configuration = configuration
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        let address = request.clientAddress[...]
        let denied = self.configuration.deny?.contains { $0.contains(address) } ?? false
        let allowed = self.configuration.allow?.contains { $0.contains(address) } ?? true
        guard denied || !allowed else { return .proceed }
        let message = self.configuration.message ?? "IP address not allowed: \(request.clientAddress)"
        return .respond(.message(HTTPResponseStatus(statusCode: self.configuration.status), message))
    }
}
