import InventoryService
import ServiceKit
import Testing

@Suite struct InventoryServiceConfigurationTests {
    @Test func defaultsWithoutVariables() throws {
        let configuration = try InventoryServiceConfiguration.fromEnvironment([:])
        #expect(configuration.reservationTTL == .seconds(900))
        #expect(configuration.jwksURL == "http://127.0.0.1:8101/.well-known/jwks.json")
        #expect(configuration.issuer == "http://127.0.0.1:8101")
        #expect(configuration.wms == nil)
        #expect(configuration.webhookSecret == nil)
    }

    @Test func variablesAreRead() throws {
        let configuration = try InventoryServiceConfiguration.fromEnvironment([
            "RESERVATION_TTL": "15m", "USERS_URL": "http://users:8101/", "USERS_ISSUER": "https://id.example/",
            "WMS_URL": "https://wms.example/api", "WMS_TOKEN": "t", "WMS_SYNC_INTERVAL": "30", "WMS_TIMEOUT": "2s",
            "WMS_WEBHOOK_SECRET": "s",
        ])
        #expect(configuration.reservationTTL == .seconds(900))
        #expect(configuration.jwksURL == "http://users:8101/.well-known/jwks.json")
        #expect(configuration.issuer == "https://id.example")
        #expect(configuration.wms?.url == "https://wms.example/api")
        #expect(configuration.wms?.token == "t")
        #expect(configuration.wms?.syncInterval == .seconds(30))
        #expect(configuration.wms?.timeout == .seconds(2))
        #expect(configuration.webhookSecret == "s")
        #expect(
            try InventoryServiceConfiguration.fromEnvironment(["RESERVATION_TTL": "1h"]).reservationTTL
                == .seconds(3600))
    }

    @Test func badValuesNameTheVariable() {
        for (name, value) in [
            ("RESERVATION_TTL", "soon"), ("RESERVATION_TTL", "0"), ("RESERVATION_TTL", "-5m"),
            ("WMS_URL", "wms.example"),
        ] {
            let error = #expect(throws: ServiceConfigurationError.self) {
                try InventoryServiceConfiguration.fromEnvironment([name: value])
            }
            #expect(error?.description.hasPrefix("\(name): expected") == true, "\(String(describing: error))")
        }
    }
}
