/// The gateway's version and the product token it uses in `Via` and `Server` headers.
public enum GatewayVersion {
    public static let string = "0.1.0"
    /// The token in `Via` (`1.1 acme-gateway`) and `Server` (`acme-gateway/0.1.0`) headers.
    public static let product = "acme-gateway"
}
