import Crypto
import Foundation

/// The WMS webhook's signature: the header `X-WMS-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
/// HMAC-SHA256 of `"<t>.<raw body>"` keyed with `WMS_WEBHOOK_SECRET`. Several `v1` values may be sent (while the
/// WMS rotates its secret); one match suffices. A timestamp more than `tolerance` away from now is refused, so a
/// captured request cannot be replayed later.
public enum WMSSignature {
    /// The header's name.
    public static let header = "X-WMS-Signature"

    /// Why a signature is refused.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// No header, or not `t=...,v1=...`.
        case malformed
        /// The timestamp is too far from now.
        case stale
        /// No `v1` matches.
        case mismatch

        public var description: String {
            switch self {
            case .malformed: return "the \(WMSSignature.header) header is missing or malformed"
            case .stale: return "the signature's timestamp is too far from now"
            case .mismatch: return "the signature does not match"
            }
        }
    }

    /// Checks `header` against `body` and `secret` at `now`.
    ///
    /// - Throws: `Failure`.
    public static func verify(
        header: String?, body: some DataProtocol, secret: String, now: Date, tolerance: Duration = .seconds(300)
    ) throws(Failure) {
        guard let header else { throw .malformed }
        var timestamp: Int64?
        var signatures: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": if let bytes = Self.hexBytes(pair[1]) { signatures.append(bytes) }
            default: continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= Double(tolerance.components.seconds) else {
            throw .stale
        }
        let key = SymmetricKey(data: Data(secret.utf8))
        let signed = Self.signedContent(timestamp: timestamp, body: body)
        guard
            signatures.contains(where: {
                HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: signed, using: key)
            })
        else { throw .mismatch }
    }

    /// The header value for `body` signed with `secret` at `timestamp` (the WMS's side; the tests' simulator).
    public static func sign(body: some DataProtocol, secret: String, timestamp: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Self.signedContent(timestamp: timestamp, body: body), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + code.map { String(format: "%02x", $0) }.joined()
    }

    private static func signedContent(timestamp: Int64, body: some DataProtocol) -> Data {
        var content = Data("\(timestamp).".utf8)
        content.append(contentsOf: body)
        return content
    }

    private static func hexBytes(_ text: Substring) -> Data? {
        guard text.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
