import Gateway

/// Kong's `acl`: lets a request through only when the consumer an authentication plugin found is in an allowed
/// group (or in no denied one). Runs after the authentication plugins (priority 950).
public struct ACLPlugin: GatewayPlugin {
    public static let name = "acl"
    public static let priority = 950

    private let configuration: ACLConfiguration

    public init(configuration: ACLConfiguration, setup: PluginSetup) {
        self.configuration = configuration
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        guard let consumer = request.consumer else {
            return .respond(.message(.unauthorized, "Unauthorized"))
        }
        let groups = Set(consumer.groups)
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
        } else if !consumer.groups.isEmpty {
            request.headers.replaceOrAdd(name: "x-consumer-groups", value: consumer.groups.joined(separator: ", "))
        }
        return .proceed
    }
}
