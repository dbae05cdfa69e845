import ServiceKit

/// The inventory service's settings, from the environment (`fromEnvironment`) or set by tests.
public struct InventoryServiceConfiguration: Sendable {
    /// `iss` every token must carry (`USERS_ISSUER`).
    public var issuer: String = "http://127.0.0.1:8101"
    /// `aud` every token must name.
    public var audience: String = "acme-api"
    /// The user service's key set (`USERS_URL` + `/.well-known/jwks.json`).
    public var jwksURL: String = "http://127.0.0.1:8101/.well-known/jwks.json"
    /// How long a reservation is held before it releases itself (`RESERVATION_TTL`, default 15 minutes).
    public var reservationTTL: Duration = .seconds(900)
    /// How often expired reservations are looked for.
    public var expiryInterval: Duration = .seconds(10)
    /// The WMS, when `WMS_URL` is set.
    public var wms: WMS?
    /// The webhook's shared secret (`WMS_WEBHOOK_SECRET`); without it `POST /wms/events` answers 503.
    public var webhookSecret: String?
    /// How far a webhook's timestamp may be from now.
    public var webhookTolerance: Duration = .seconds(300)

    /// The outbound WMS settings.
    public struct WMS: Sendable, Hashable {
        /// The base URL (`WMS_URL`).
        public var url: String
        /// The bearer token (`WMS_TOKEN`).
        public var token: String?
        /// How often stock levels are pulled (`WMS_SYNC_INTERVAL`, default 60 s).
        public var syncInterval: Duration = .seconds(60)
        /// Each attempt's timeout (`WMS_TIMEOUT`, default 5 s).
        public var timeout: Duration = .seconds(5)

        /// Settings for the WMS at `url`.
        public init(url: String, token: String?) {
            self.url = url
            self.token = token
        }
    }

    /// The defaults.
    public init() {}

    /// The settings from the environment.
    ///
    /// - Throws: `ServiceConfigurationError` naming the variable that is not valid.
    public static func fromEnvironment(_ environment: [String: String]) throws -> InventoryServiceConfiguration {
        var configuration = InventoryServiceConfiguration()
        if let issuer = Self.value(environment, "USERS_ISSUER") {
            configuration.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        }
        if let users = Self.value(environment, "USERS_URL") {
            configuration.jwksURL = (users.hasSuffix("/") ? String(users.dropLast()) : users) + "/.well-known/jwks.json"
        }
        if let text = Self.value(environment, "RESERVATION_TTL") {
            configuration.reservationTTL = try Self.duration(text, variable: "RESERVATION_TTL")
        }
        if let url = Self.value(environment, "WMS_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ServiceConfigurationError("WMS_URL: expected an http:// or https:// URL, got \"\(url)\"")
            }
            var wms = WMS(url: url, token: Self.value(environment, "WMS_TOKEN"))
            if let text = Self.value(environment, "WMS_SYNC_INTERVAL") {
                wms.syncInterval = try Self.duration(text, variable: "WMS_SYNC_INTERVAL")
            }
            if let text = Self.value(environment, "WMS_TIMEOUT") {
                wms.timeout = try Self.duration(text, variable: "WMS_TIMEOUT")
            }
            configuration.wms = wms
        }
        configuration.webhookSecret = Self.value(environment, "WMS_WEBHOOK_SECRET")
        return configuration
    }

    /// A positive duration: seconds (`900`), or a number with `s`, `m` or `h` (`15m`).
    static func duration(_ text: String, variable: String) throws -> Duration {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = trimmed.last.flatMap { units[$0] }
        let number = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let count = Int(number), count > 0 else {
            throw ServiceConfigurationError(
                "\(variable): expected a positive number of seconds, or a number with s, m or h (15m), got \"\(text)\"")
        }
        return .seconds(count * (unit ?? 1))
    }

    private static func value(_ environment: [String: String], _ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
