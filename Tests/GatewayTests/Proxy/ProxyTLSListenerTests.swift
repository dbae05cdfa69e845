import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@testable import Gateway

/// The HTTPS listener (`--proxy-listen-ssl`): TLS terminated in front of the same proxy pipeline as plain HTTP,
/// and clear errors for a certificate or key that cannot be used.
@Suite struct ProxyTLSListenerTests {
    /// Runs `body` with a gateway whose HTTPS listener has a certificate for `localhost` from a test CA.
    private func withTLSGateway(
        upstreamPort: Int,
        _ body: (GatewayFixture, TestCertificateAuthority) async throws -> Void
    ) async throws {
        let authority = try TestCertificateAuthority()
        let server = try authority.issue(dnsNames: ["localhost"])
        try await withTemporaryDirectory { directory in
            let listen = ProxyTLSListen(
                address: ListenAddress(host: "127.0.0.1", port: 0),
                certificateFile: try directory.write(server.certificatePEM, to: "cert.pem"),
                keyFile: try directory.write(server.keyPEM, to: "key.pem")
            )
            try await withGateway(TestConfig.echo(port: upstreamPort), proxyListenTLS: listen) { gateway in
                try await body(gateway, authority)
            }
        }
    }

    @Test func requestsOverTLSAreProxiedAndMarkedHTTPS() async throws {
        try await withTestUpstream { upstream in
            try await self.withTLSGateway(upstreamPort: upstream.port) { gateway, authority in
                let tlsPort = try #require(gateway.tlsPort)
                let client = try await HTTPTestClient.connect(
                    port: tlsPort,
                    group: gateway.clients,
                    tls: try authority.clientContext()
                )
                for index in 0..<3 {
                    let body = [ByteBuffer(string: "body")]
                    let response = try await client.request(.POST, "/echo/tls?i=\(index)", body: body)
                    try #require(response.status == .ok)
                    let echo = try response.echo()
                    #expect(echo.uri == "/tls?i=\(index)")
                    #expect(echo.bodyBytes == 4)
                    #expect(echo.value("x-forwarded-proto") == "https")
                    #expect(echo.value("x-forwarded-port") == String(tlsPort))
                }
                #expect(client.isActive)
                await client.close()
                // One keep-alive TLS connection carried the three requests.
                #expect(upstream.requestsSeen == 3)

                let plain = try await gateway.request(.GET, "/echo/plain")
                #expect(try plain.echo().value("x-forwarded-proto") == "http")
                #expect(try plain.echo().value("x-forwarded-port") == String(gateway.port))
            }
        }
    }

    @Test func gatewayAnswersOverTLSAsOverHTTP() async throws {
        try await withTestUpstream { upstream in
            try await self.withTLSGateway(upstreamPort: upstream.port) { gateway, authority in
                let client = try await HTTPTestClient.connect(
                    port: try #require(gateway.tlsPort),
                    group: gateway.clients,
                    tls: try authority.clientContext()
                )
                let response = try await client.request(.GET, "/nowhere")
                #expect(response.status == .notFound)
                #expect(response.bodyText == #"{"message":"no Route matched with those values"}"#)
                await client.close()
            }
        }
    }

    @Test func plainHTTPOnTheTLSPortGetsNoResponse() async throws {
        try await withTestUpstream { upstream in
            try await self.withTLSGateway(upstreamPort: upstream.port) { gateway, _ in
                let raw = try await RawTCPClient.connect(port: try #require(gateway.tlsPort), group: gateway.clients)
                try await raw.send("GET /echo/x HTTP/1.1\r\nHost: a\r\n\r\n")
                let received = try await raw.readUntilClose(timeout: .seconds(20))
                await raw.close()
                #expect(received.closed)
                #expect(!received.text.contains("HTTP/1.1 200"))
                #expect(upstream.requestsSeen == 0)
            }
        }
    }

    @Test func missingCertificateFileIsNamed() async throws {
        let listen = ProxyTLSListen(
            address: ListenAddress(host: "127.0.0.1", port: 0),
            certificateFile: "/nonexistent/cert.pem",
            keyFile: "/nonexistent/key.pem"
        )
        #expect(throws: ProxyTLSError(option: "--ssl-cert", file: "/nonexistent/cert.pem", reason: "file not found")) {
            try listen.makeServerContext()
        }
        let options = GatewayOptions(
            proxyListen: ListenAddress(host: "127.0.0.1", port: 0),
            adminListen: ListenAddress(host: "127.0.0.1", port: 0),
            threads: 1,
            proxyListenTLS: listen
        )
        await #expect(throws: ProxyTLSError.self) {
            try await GatewayServer.start(
                configuration: GatewayConfiguration(), options: options, logger: gatewayTestLogger)
        }
    }

    @Test func unusableCertificateOrKeyIsNamed() async throws {
        let authority = try TestCertificateAuthority()
        let server = try authority.issue(dnsNames: ["localhost"])
        let other = try authority.issue(dnsNames: ["localhost"])
        try await withTemporaryDirectory { directory in
            let cert = try directory.write(server.certificatePEM, to: "cert.pem")
            let key = try directory.write(server.keyPEM, to: "key.pem")
            let otherKey = try directory.write(other.keyPEM, to: "other-key.pem")
            let garbage = try directory.write("not a PEM file\n", to: "garbage.pem")
            let address = ListenAddress(host: "127.0.0.1", port: 0)

            let notCertificate = ProxyTLSListen(address: address, certificateFile: garbage, keyFile: key)
            #expect(throws: ProxyTLSError(
                option: "--ssl-cert",
                file: garbage,
                reason: "expected PEM certificates (-----BEGIN CERTIFICATE-----)"
            )) { try notCertificate.makeServerContext() }

            let keyIsCertificate = ProxyTLSListen(address: address, certificateFile: cert, keyFile: cert)
            #expect(throws: ProxyTLSError(
                option: "--ssl-key",
                file: cert,
                reason: "expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"
            )) { try keyIsCertificate.makeServerContext() }

            let mismatched = ProxyTLSListen(address: address, certificateFile: cert, keyFile: otherKey)
            #expect(throws: ProxyTLSError(
                option: "--ssl-key",
                file: otherKey,
                reason: "does not match the certificate in \(cert)"
            )) { try mismatched.makeServerContext() }

            let good = ProxyTLSListen(address: address, certificateFile: cert, keyFile: key)
            _ = try good.makeServerContext()
        }
    }

    @Test func errorNamesOptionAndFile() {
        let error = ProxyTLSError(option: "--ssl-key", file: "/etc/acme/key.pem", reason: "file not found")
        #expect(error.description == "--ssl-key /etc/acme/key.pem: file not found")
    }
}
