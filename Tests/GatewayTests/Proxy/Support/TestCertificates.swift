import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import X509

/// A certificate authority made at test time, and the server certificates it signs: no key is ever written to
/// the repository.
struct TestCertificateAuthority {
    let certificatePEM: String
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName

    init(commonName: String = "Acme Test CA") throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true))
        }
        self.certificatePEM = try Self.sign(key.publicKey, subject: name, extensions: extensions, issuer: name, by: key)
        self.key = key
        self.name = name
    }

    /// A server certificate for `dnsNames`, signed by this authority.
    func issue(dnsNames: [String]) throws -> TestServerCertificate {
        let key = P256.Signing.PrivateKey()
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            SubjectAlternativeNames(dnsNames.map { .dnsName($0) })
            try ExtendedKeyUsage([.serverAuth])
        }
        let subject = try DistinguishedName { CommonName(dnsNames.first ?? "server") }
        let certificatePEM = try Self.sign(
            key.publicKey,
            subject: subject,
            extensions: extensions,
            issuer: self.name,
            by: self.key
        )
        return TestServerCertificate(certificatePEM: certificatePEM, keyPEM: key.pemRepresentation)
    }

    /// A certificate valid from an hour ago for a day, as PEM.
    private static func sign(
        _ publicKey: P256.Signing.PublicKey,
        subject: DistinguishedName,
        extensions: Certificate.Extensions,
        issuer: DistinguishedName,
        by issuerKey: P256.Signing.PrivateKey
    ) throws -> String {
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(publicKey),
            notValidBefore: Date() - 3600,
            notValidAfter: Date() + 86_400,
            issuer: issuer,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(issuerKey)
        )
        return try certificate.serializeAsPEM().pemString
    }

    /// A TLS client context that trusts this authority only.
    func clientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(self.certificatePEM.utf8)))
        return try NIOSSLContext(configuration: configuration)
    }
}

/// A server's certificate and key, as PEM.
struct TestServerCertificate: Sendable {
    let certificatePEM: String
    let keyPEM: String

    /// A TLS server context with this certificate; `serverNames` records the SNI name of each handshake.
    func serverContext(serverNames: NIOLockedValueBox<[String?]>? = nil) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(self.certificatePEM.utf8))
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(self.keyPEM.utf8), format: .pem))
        )
        if let serverNames {
            configuration.sslContextCallback = { values, promise in
                serverNames.withLockedValue { $0.append(values.serverHostname) }
                promise.succeed(NIOSSLContextConfigurationOverride())
            }
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// A temporary directory for files a test writes (PEM files, configuration), removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("gateway-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

extension URL {
    /// Writes `text` to the file `name` under this directory (making folders on the way) and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let file = self.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
