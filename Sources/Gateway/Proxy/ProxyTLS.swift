import Foundation
import NIOSSL

/// The proxy's HTTPS listener (`--proxy-listen-ssl`): where it listens, and the PEM files of its certificate
/// (the leaf first, then any intermediates) and private key (`--ssl-cert`, `--ssl-key`).
public struct ProxyTLSListen: Sendable, Hashable {
    public var address: ListenAddress
    public var certificateFile: String
    public var keyFile: String

    public init(address: ListenAddress, certificateFile: String, keyFile: String) {
        self.address = address
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

/// The HTTPS listener's certificate or key cannot be used: names the option and the file, and says why.
public struct ProxyTLSError: Error, Equatable, CustomStringConvertible {
    /// The command-line option that named the file (`--ssl-cert`, `--ssl-key`).
    public var option: String
    public var file: String
    public var reason: String

    public var description: String { "\(self.option) \(self.file): \(self.reason)" }
}

/// Reads PEM files for TLS: the listener's certificate and key, and the CA certificates https services trust.
enum PEMFile {
    /// The file's bytes, or why they cannot be had (`file not found`, `cannot read the file`).
    static func contents(of path: String) -> Result<[UInt8], PEMFileFailure> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(PEMFileFailure("file not found")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(PEMFileFailure("cannot read the file"))
        }
        return .success(Array(data))
    }

    /// Every certificate in a PEM file, at least one.
    static func certificates(at path: String) -> Result<[NIOSSLCertificate], PEMFileFailure> {
        Self.contents(of: path).flatMap { bytes in
            guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
                return .failure(PEMFileFailure("expected PEM certificates (-----BEGIN CERTIFICATE-----)"))
            }
            return .success(certificates)
        }
    }

    /// The private key of a PEM file.
    static func privateKey(at path: String) -> Result<NIOSSLPrivateKey, PEMFileFailure> {
        Self.contents(of: path).flatMap { bytes in
            guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem) else {
                return .failure(PEMFileFailure("expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"))
            }
            return .success(key)
        }
    }
}

/// Why a PEM file cannot be used, in words for an error message.
struct PEMFileFailure: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

extension ProxyTLSListen {
    /// The TLS server context of the listener: its certificate chain and key, TLS 1.2 and later, HTTP/1.1 offered
    /// in ALPN. Reads the files; call off the event loops.
    func makeServerContext() throws(ProxyTLSError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        switch PEMFile.certificates(at: self.certificateFile) {
        case .success(let certificates): chain = certificates
        case .failure(let failure):
            throw ProxyTLSError(option: "--ssl-cert", file: self.certificateFile, reason: failure.reason)
        }
        let key: NIOSSLPrivateKey
        switch PEMFile.privateKey(at: self.keyFile) {
        case .success(let privateKey): key = privateKey
        case .failure(let failure):
            throw ProxyTLSError(option: "--ssl-key", file: self.keyFile, reason: failure.reason)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            let reason = "does not match the certificate in \(self.certificateFile)"
            throw ProxyTLSError(option: "--ssl-key", file: self.keyFile, reason: reason)
        }
    }
}
