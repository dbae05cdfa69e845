import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import Gateway

/// https upstreams: TLS to the target with SNI, the certificate verified against the system's trust store or the
/// service's `ca_certificates` (unless `tls_verify` is false), and 502 when the handshake or the check fails.
@Suite struct HTTPSUpstreamTests {
    private static let badGateway = #"{"message":"An invalid response was received from the upstream server"}"#

    /// An upstream over TLS with a certificate for `localhost` from a test CA; `serverNames` records each
    /// handshake's SNI name.
    private func withTLSUpstream(
        _ body: (TestUpstream, TestCertificateAuthority, NIOLockedValueBox<[String?]>) async throws -> Void
    ) async throws {
        let authority = try TestCertificateAuthority()
        let serverNames = NIOLockedValueBox<[String?]>([])
        let context = try authority.issue(dnsNames: ["localhost"]).serverContext(serverNames: serverNames)
        try await withTestUpstream(tls: context) { upstream in
            try await body(upstream, authority, serverNames)
        }
    }

    /// Runs `body` with a gateway whose configuration directory holds the CA's certificate as `certs/ca.pem` and
    /// one service with the given fields, routed from `/secure`.
    private func withSecureGateway(
        service: String,
        authority: TestCertificateAuthority,
        _ body: (GatewayFixture) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            try directory.write("{}", to: "plugins.json")
            try directory.write(authority.certificatePEM, to: "certs/ca.pem")
            let routes = #"{ "service": \#(service), "routes": [{ "name": "secure", "paths": ["/secure"] }] }"#
            try directory.write(routes, to: "routes/secure.json")
            let configuration = try ConfigLoader(directory: directory.path).load()
            try await withGateway(configuration) { gateway in try await body(gateway) }
        }
    }

    @Test func verifiesTheTargetAgainstCACertificatesAndSendsSNI() async throws {
        try await self.withTLSUpstream { upstream, authority, serverNames in
            let service = #"""
                { "name": "secure", "url": "https://localhost:\#(upstream.port)/api",
                  "ca_certificates": ["certs/ca.pem"] }
                """#
            try await self.withSecureGateway(service: service, authority: authority) { gateway in
                let client = try await gateway.httpClient()
                for index in 0..<3 {
                    let response = try await client.request(.GET, "/secure/items?i=\(index)")
                    try #require(response.status == .ok, "\(response.bodyText)")
                    let echo = try response.echo()
                    #expect(echo.uri == "/api/items?i=\(index)")
                    #expect(echo.value("host") == "localhost:\(upstream.port)")
                }
                await client.close()
                #expect(serverNames.withLockedValue { $0 } == ["localhost"])
                #expect(upstream.acceptedConnections == 1)
            }
        }
    }

    @Test func systemTrustStoreRejectsAnUnknownCA() async throws {
        try await self.withTLSUpstream { upstream, authority, _ in
            let service = #"{ "name": "secure", "url": "https://localhost:\#(upstream.port)", "retries": 0 }"#
            try await self.withSecureGateway(service: service, authority: authority) { gateway in
                let response = try await gateway.request(.GET, "/secure/x")
                #expect(response.status == .badGateway)
                #expect(response.bodyText == Self.badGateway)
                #expect(upstream.requestsSeen == 0)
            }
        }
    }

    @Test func tlsVerifyFalseAcceptsAnyCertificate() async throws {
        try await self.withTLSUpstream { upstream, authority, _ in
            let service = #"{ "name": "secure", "url": "https://localhost:\#(upstream.port)", "tls_verify": false }"#
            try await self.withSecureGateway(service: service, authority: authority) { gateway in
                let response = try await gateway.request(.GET, "/secure/x")
                #expect(response.status == .ok)
                #expect(try response.echo().uri == "/x")
            }
        }
    }

    @Test func certificateForAnotherNameIsRejected() async throws {
        try await self.withTLSUpstream { upstream, authority, serverNames in
            // The certificate names `localhost` only; the target is an IP address, which also gets no SNI.
            let service = #"""
                { "name": "secure", "url": "https://127.0.0.1:\#(upstream.port)", "retries": 0,
                  "ca_certificates": ["certs/ca.pem"] }
                """#
            try await self.withSecureGateway(service: service, authority: authority) { gateway in
                let response = try await gateway.request(.POST, "/secure/x", body: [ByteBuffer(string: "order")])
                #expect(response.status == .badGateway)
                #expect(response.bodyText == Self.badGateway)
                #expect(upstream.requestsSeen == 0)
                #expect(serverNames.withLockedValue { $0 } == [nil])
            }
        }
    }

    @Test func plainUpstreamBehindAnHTTPSURLIsABadGateway() async throws {
        try await withTestUpstream { upstream in
            let authority = try TestCertificateAuthority()
            let service = #"{ "name": "secure", "url": "https://localhost:\#(upstream.port)", "retries": 0 }"#
            try await self.withSecureGateway(service: service, authority: authority) { gateway in
                let response = try await gateway.request(.GET, "/secure/x")
                #expect(response.status == .badGateway)
                #expect(response.bodyText == Self.badGateway)
            }
        }
    }

    /// A plain and a TLS connection to one `host:port` are different pool entries: a pooled plain connection is
    /// never handed to an https service (whose handshake with the plain upstream then fails), and the other way
    /// round it is still there for http.
    @Test func plainAndTLSConnectionsToOneTargetArePooledApart() async throws {
        try await withTestUpstream { upstream in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            let tls = try UpstreamTLSContext(verify: false, trusted: [])
            let target = Target(host: "127.0.0.1", port: upstream.port)
            let outcomes = try await loop.flatSubmit { () -> EventLoopFuture<[String]> in
                let pool = UpstreamConnectionPool(eventLoop: loop)
                let promise = loop.makePromise(of: [String].self)
                pool.acquire(target, connectTimeout: .seconds(10)) { first in
                    guard case .success(let plain) = first else { return promise.succeed(["plain connect failed"]) }
                    pool.release(plain, reusable: true)
                    pool.acquire(target, tls: tls, connectTimeout: .seconds(10)) { second in
                        let overTLS: String
                        switch second {
                        case .success(let connection): overTLS = connection === plain ? "reused plain" : "new TLS"
                        case .failure(let error): overTLS = "TLS \(error)"
                        }
                        pool.acquire(target, connectTimeout: .seconds(10)) { third in
                            let again = (try? third.get()) === plain ? "reused plain" : "not reused"
                            plain.close()
                            promise.succeed([overTLS, again])
                        }
                    }
                }
                return promise.futureResult
            }.get()
            try? await group.shutdownGracefully()
            #expect(outcomes == ["TLS connectFailed", "reused plain"])
            #expect(upstream.acceptedConnections == 2)
        }
    }
}
