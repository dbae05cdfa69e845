import Foundation
import NIOSSL

/// A service's `protocol`, and how an https service's connections are secured: Kong's `tls_verify` and
/// `ca_certificates` (PEM files here, read when the configuration loads).
extension ConfigDecoder {
    static let serviceProtocols = ["http", "https"]
    static let serviceTLSFields = ["tls_verify", "ca_certificates"]

    /// What one TLS client context is made from, within one load.
    struct UpstreamTLSContextKey: Hashable {
        var verify: Bool
        var caCertificateFiles: [String]
    }

    /// `protocol`, Kong's field: the scheme of the `upstream` long form's targets (`http` by default). A `url`
    /// carries its own scheme, so `protocol` goes with `upstream` only.
    mutating func serviceProtocol(_ object: ConfigObject) -> String? {
        guard let node = object["protocol"], let name = self.string(node) else { return nil }
        guard object["url"] == nil else {
            self.fail(node.path, "expected no \"protocol\" beside \"url\"; the URL's scheme is the protocol")
            return nil
        }
        guard Self.serviceProtocols.contains(name) else {
            self.fail(node, expected: "one of \"http\", \"https\"")
            return nil
        }
        return name
    }

    /// The TLS settings of a service whose upstream has `scheme` (nil when the upstream did not decode): made for
    /// https, with the CA files read and the client context built; an error for each TLS field of an http service.
    mutating func upstreamTLS(_ object: ConfigObject, scheme: String?) -> UpstreamTLS? {
        let verify = self.bool(object["tls_verify"])
        var files: [String] = []
        var certificates: [NIOSSLCertificate] = []
        var filesFailed = false
        for node in self.array(object["ca_certificates"]) ?? [] {
            guard let file = self.nonEmptyString(node) else {
                filesFailed = true
                continue
            }
            files.append(file)
            guard scheme == "https" else { continue }
            switch PEMFile.certificates(at: self.resolve(file)) {
            case .success(let found): certificates += found
            case .failure(let failure):
                filesFailed = true
                self.fail(node.path, "cannot use \(self.describe(node)): \(failure.reason)")
            }
        }
        guard scheme == "https" else {
            if scheme == "http" {
                for field in Self.serviceTLSFields where object[field] != nil {
                    self.fail(JSONPath.member(field, of: object.path), "expected no \"\(field)\" on an http service")
                }
            }
            return nil
        }
        guard !filesFailed else { return nil }
        let key = UpstreamTLSContextKey(verify: verify ?? true, caCertificateFiles: files)
        if let context = self.upstreamTLSContexts[key] {
            return UpstreamTLS(verify: key.verify, caCertificateFiles: files, context: context)
        }
        do {
            let context = try UpstreamTLSContext(verify: key.verify, trusted: certificates)
            self.upstreamTLSContexts[key] = context
            return UpstreamTLS(verify: key.verify, caCertificateFiles: files, context: context)
        } catch {
            self.fail(object.path, "cannot set up TLS to the upstream: \(error)")
            return nil
        }
    }

    /// A file named in the configuration: relative to the configuration directory (to the current directory
    /// for a configuration loaded from memory).
    private func resolve(_ file: String) -> String {
        guard !file.hasPrefix("/"), let directory = self.directory else { return file }
        return URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(file).path
    }
}
