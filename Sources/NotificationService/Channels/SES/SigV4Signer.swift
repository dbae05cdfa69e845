import Crypto
import Foundation

/// AWS Signature Version 4 for a request with headers (not a presigned URL): the canonical request, the string to
/// sign, the signing key derived from the secret, date, region and service, and the `Authorization` header.
public struct SigV4Signer: Sendable {
    /// The access key id.
    public let accessKeyID: String
    private let secretAccessKey: String
    /// The region (`eu-west-1`).
    public let region: String
    /// The service's signing name (`ses`).
    public let service: String

    /// A signer for `service` in `region` with these credentials.
    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// What signing produced, step by step.
    public struct Signature: Sendable, Hashable {
        /// The canonical request.
        public var canonicalRequest: String
        /// The string to sign.
        public var stringToSign: String
        /// The signature, in lowercase hex.
        public var signature: String
        /// The `Authorization` header's value.
        public var authorization: String
        /// The headers that were signed, lowercase, `;`-separated.
        public var signedHeaders: String
    }

    /// Signs a request. `path` is the URI path as sent (already percent-encoded), `query` its query string (without
    /// `?`), `headers` every header to sign (they must include `host` and `x-amz-date`), `payloadHash` the
    /// lowercase hex SHA-256 of the body, `date` the time in `x-amz-date`.
    public func sign(
        method: String, path: String, query: String, headers: [(String, String)], payloadHash: String, date: Date
    ) -> Signature {
        let canonicalHeaders = Dictionary(
            headers.map { ($0.0.lowercased(), Self.trimmed($0.1)) }, uniquingKeysWith: { "\($0),\($1)" }
        ).sorted { $0.key < $1.key }
        let signedHeaders = canonicalHeaders.map(\.key).joined(separator: ";")
        let canonicalRequest = [
            method,
            path.isEmpty ? "/" : path,
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.key):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let stamp = Self.amzDate(date)
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(self.region)/\(self.service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(self.secretAccessKey)".utf8))
        for part in [day, self.region, self.service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(self.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
            + "Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, signedHeaders: signedHeaders)
    }

    /// `x-amz-date`'s form: `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// The lowercase hex SHA-256 of `data` (the payload hash).
    public static func payloadHash(_ data: some DataProtocol) -> String {
        Self.hex(SHA256.hash(data: data))
    }

    /// The query's pairs sorted by name then value, each kept as encoded.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs: [(name: String, value: String)] = query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        let sorted = pairs.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// A header value without leading and trailing spaces, inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `bytes` in lowercase hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
