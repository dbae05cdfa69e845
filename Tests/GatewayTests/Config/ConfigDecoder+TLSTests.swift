import Foundation
import Testing

@testable import Gateway

/// https upstreams in the configuration: the `url` scheme, `protocol` beside `upstream`, `tls_verify` and
/// `ca_certificates`.
@Suite struct ConfigDecoderTLSTests {
    @Test func httpsURLDefaultsToPort443AndVerifiesByDefault() throws {
        let service = try ConfigFixtures.service(#"{ "name": "a", "url": "https://api.example.com/v1" }"#)
        #expect(service.upstream.scheme == "https")
        #expect(service.upstream.targets == [Target(host: "api.example.com", port: 443)])
        #expect(service.upstream.hostHeader == "api.example.com")
        #expect(service.upstream.path == "/v1")
        let tls = try #require(service.tls)
        #expect(tls.verify)
        #expect(tls.caCertificateFiles.isEmpty)

        let other = try ConfigFixtures.service(#"{ "name": "a", "url": "HTTPS://api.example.com:8443" }"#)
        #expect(other.upstream.targets == [Target(host: "api.example.com", port: 8443)])
        #expect(other.upstream.hostHeader == "api.example.com:8443")
    }

    @Test func httpServiceHasNoTLS() throws {
        #expect(try ConfigFixtures.service(#"{ "name": "a", "url": "http://a" }"#).tls == nil)
    }

    @Test func protocolMakesTheLongFormHTTPS() throws {
        let service = try ConfigFixtures.service(
            #"""
            { "name": "a", "protocol": "https", "tls_verify": false,
              "upstream": { "targets": [{ "target": "b:8443" }] } }
            """#
        )
        #expect(service.upstream.scheme == "https")
        #expect(service.tls?.verify == false)
        let plain = try ConfigFixtures.service(
            #"{ "name": "a", "protocol": "http", "upstream": { "targets": [{ "target": "b:8080" }] } }"#
        )
        #expect(plain.upstream.scheme == "http")
        #expect(plain.tls == nil)
    }

    @Test func sameSettingsShareOneContext() throws {
        let configuration = try ConfigFixtures.load(routes: [
            ("routes/a.json", ConfigFixtures.routesFile(service: #"{ "name": "a", "url": "https://a" }"#)),
            ("routes/b.json", ConfigFixtures.routesFile(service: #"{ "name": "b", "url": "https://b" }"#)),
            (
                "routes/c.json",
                ConfigFixtures.routesFile(service: #"{ "name": "c", "url": "https://c", "tls_verify": false }"#)
            ),
        ])
        let contexts = configuration.services.compactMap { $0.tls?.context }
        try #require(contexts.count == 3)
        #expect(contexts[0] === contexts[1])
        #expect(contexts[0] != contexts[2])
    }

    @Test(arguments: [
        (
            #"{ "name": "a", "url": "https://a", "protocol": "https" }"#,
            #"service.protocol: expected no "protocol" beside "url"; the URL's scheme is the protocol"#
        ),
        (
            #"{ "name": "a", "protocol": "grpc", "upstream": { "targets": [{ "target": "b" }] } }"#,
            #"service.protocol: expected one of "http", "https", got "grpc""#
        ),
        (
            #"{ "name": "a", "url": "http://a", "tls_verify": true }"#,
            #"service.tls_verify: expected no "tls_verify" on an http service"#
        ),
        (
            #"{ "name": "a", "url": "http://a", "ca_certificates": ["ca.pem"] }"#,
            #"service.ca_certificates: expected no "ca_certificates" on an http service"#
        ),
        (
            #"{ "name": "a", "url": "https://a", "tls_verify": "no" }"#,
            #"service.tls_verify: expected true or false, got "no""#
        ),
        (
            #"{ "name": "a", "url": "https://a", "ca_certificates": [""] }"#,
            #"service.ca_certificates[0]: expected a non-empty string, got """#
        ),
        (
            #"{ "name": "a", "url": "https://a", "ca_certificates": ["/nonexistent/acme-ca.pem"] }"#,
            #"service.ca_certificates[0]: cannot use "/nonexistent/acme-ca.pem": file not found"#
        ),
    ])
    func rejects(service: String, message: String) {
        #expect(ConfigFixtures.routeErrors(service: service) == ["routes/orders.json: \(message)"])
    }

    @Test func caCertificatesAreReadRelativeToTheConfigurationDirectory() async throws {
        let authority = try TestCertificateAuthority()
        try await withTemporaryDirectory { directory in
            try directory.write("{}", to: "plugins.json")
            try directory.write(authority.certificatePEM, to: "certs/ca.pem")
            try directory.write("no certificate here\n", to: "certs/empty.pem")
            let service = #"{ "name": "a", "url": "https://a", "ca_certificates": ["certs/ca.pem"] }"#
            try directory.write(ConfigFixtures.routesFile(service: service), to: "routes/a.json")
            let loaded = try ConfigLoader(directory: directory.path, plugins: TestCatalog()).load()
            #expect(loaded.services[0].tls?.caCertificateFiles == ["certs/ca.pem"])

            let bad = #"{ "name": "a", "url": "https://a", "ca_certificates": ["certs/empty.pem"] }"#
            try directory.write(ConfigFixtures.routesFile(service: bad), to: "routes/a.json")
            do throws(ConfigErrors) {
                _ = try ConfigLoader(directory: directory.path, plugins: TestCatalog()).load()
                Issue.record("an unusable CA file loaded")
            } catch {
                #expect(error.errors.map(\.description) == [
                    #"routes/a.json: service.ca_certificates[0]: cannot use "certs/empty.pem": expected PEM "#
                        + "certificates (-----BEGIN CERTIFICATE-----)"
                ])
            }
        }
    }
}
