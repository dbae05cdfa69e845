import Gateway

/// Kong's `ip-restriction` schema: `allow` and/or `deny` lists of IPv4 and IPv6 addresses and CIDR blocks, and
/// the answer (`status`, `message`) for a refused client.
public struct IPRestrictionConfiguration: PluginConfiguration {
    public var allow: [IPBlock]?
    public var deny: [IPBlock]?
    public var status: Int
    /// The message for a refused client; nil means Kong's `IP address not allowed: <client address>`.
    public var message: String?

    public init(from reader: inout PluginConfigReader) {
        self.allow = Self.blocks("allow", &reader)
        self.deny = Self.blocks("deny", &reader)
        if self.allow == nil, self.deny == nil {
            reader.fail("allow", "expected at least one of allow or deny to be set, got neither")
        }
        self.status = reader.integer("status", in: 100...599, default: 403) ?? 403
        let message = reader.string("message", default: "")
        self.message = message.isEmpty ? nil : message
    }

    private static func blocks(_ key: String, _ reader: inout PluginConfigReader) -> [IPBlock]? {
        guard reader.value(key) != nil else { return nil }
        var blocks: [IPBlock] = []
        for (index, entry) in reader.strings(key, default: []).enumerated() {
            if let block = IPBlock(parsing: entry[...]) {
                blocks.append(block)
            } else {
                reader.fail("\(key)[\(index)]", "expected an IP address or CIDR block, got \"\(entry)\"")
            }
        }
        return blocks
    }
}
