import Gateway

/// Kong's `acl`: lets a request through only when the caller an authentication plugin found (a consumer, or a
/// token's groups) is in an allowed group (or in no denied one). Runs after the authentication plugins (priority 950).
public struct ACLPlugin: GatewayPlugin {
    public static let name = "acl"
    public static let priority = 950

    private let configuration: ACLConfiguration

    public init(configuration: ACLConfiguration, setup: PluginSetup) {
        self.configuration = configuration
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        guard let groups = request.authenticatedGroups else {
            return .respond(.message(.unauthorized, "Unauthorized"))
        }
        let blocked: Bool
        if let deny = self.configuration.deny {
            blocked = deny.contains { groups.contains($0) }
        } else {
            blocked = !(self.configuration.allow ?? []).contains { groups.contains($0) }
        }
        if blocked {
            return .respond(.message(.forbidden, "You cannot consume this service"))
        }
        if self.configuration.hideGroupsHeader {
            request.headers.remove(name: "x-consumer-groups")
        } else if !groups.isEmpty, !request.headers.contains(name: "x-consumer-groups") {
            request.headers.add(name: "x-consumer-groups", value: groups.joined(separator: ", "))
        }
        return .proceed
    }
}
