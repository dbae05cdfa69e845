// TEMPORARY until the config loader branch merges.
public struct ConfigError: Error, CustomStringConvertible { public var description: String }
public struct ConfigErrors: Error { public var errors: [ConfigError] }
public struct ConfigLoader {
    public init(directory: String) {}
    public func load() throws -> GatewayConfiguration { GatewayConfiguration() }
}
