import Gateway

/// The plugins compiled into the gateway: adding one means adding its folder and a line here.
public enum BundledPlugins {
    public static let all: [any GatewayPlugin.Type] = [
        CorrelationIDPlugin.self,
        KeyAuthPlugin.self,
        JWTPlugin.self,
        ACLPlugin.self,
        IPRestrictionPlugin.self,
        CORSPlugin.self,
        RequestSizeLimitingPlugin.self,
        RequestTransformerPlugin.self,
        ResponseTransformerPlugin.self,
        PrometheusPlugin.self,
        RateLimitingPlugin.self,
    ]

    /// The registry the configuration loader validates against and the runtime makes chains from.
    public static let registry = PluginRegistry(Self.all)
}
