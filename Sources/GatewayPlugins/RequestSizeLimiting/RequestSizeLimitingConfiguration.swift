import Gateway

/// Kong's `request-size-limiting` schema.
public struct RequestSizeLimitingConfiguration: PluginConfiguration {
    /// What `allowed_payload_size` counts.
    public enum SizeUnit: String, Sendable, CaseIterable {
        case megabytes, kilobytes, bytes

        /// Bytes per unit: Kong's megabyte is 2^20 bytes, its kilobyte 2^10.
        public var bytes: Int {
            switch self {
            case .megabytes: return 1_048_576
            case .kilobytes: return 1024
            case .bytes: return 1
            }
        }
    }

    /// The largest body allowed, in `sizeUnit`s (128 by default).
    public var allowedPayloadSize: Int
    public var sizeUnit: SizeUnit
    /// Refuse requests without a valid `Content-Length` (411) unless their body is chunked.
    public var requireContentLength: Bool

    public init(from reader: inout PluginConfigReader) {
        self.allowedPayloadSize = 128
        switch reader.value("allowed_payload_size") {
        case nil:
            break
        case .integer(let size)? where size >= 0:
            self.allowedPayloadSize = Int(size)
        case let other?:
            reader.fail("allowed_payload_size", "expected a non-negative integer, got \(other.errorDescription)")
        }
        let units = SizeUnit.allCases.map(\.rawValue)
        self.sizeUnit = SizeUnit(rawValue: reader.choice("size_unit", units, default: "megabytes")) ?? .megabytes
        self.requireContentLength = reader.bool("require_content_length", default: false)
    }

    /// The limit in bytes (the largest `Int` when it would not fit).
    public var allowedBytes: Int {
        let (bytes, overflow) = self.allowedPayloadSize.multipliedReportingOverflow(by: self.sizeUnit.bytes)
        return overflow ? Int.max : bytes
    }
}
