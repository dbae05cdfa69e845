public enum GatewayVersion { public static let string = "0.1.0" }
