/// One IPv4 or IPv6 address or CIDR block (`10.0.0.0/8`, `::1`, `2001:db8::/32`): what `--trusted-ips` and the
/// `ip-restriction` plugin are made of. Addresses are kept as 16 bytes, IPv4 mapped into `::ffff:0:0/96`.
public struct IPBlock: Sendable, Hashable {
    var bytes: [UInt8]
    var prefixLength: Int

    /// Parses an address or `ADDRESS/PREFIX`; nil when it is neither. Written as IPv4, the prefix counts IPv4
    /// bits; written as IPv6 (`::ffff:10.0.0.0/104` too), IPv6 bits.
    public init?(parsing text: Substring) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = IPAddressBytes.parse(parts[0]) else { return nil }
        let isV4 = !parts[0].contains(":")
        var prefix = 128
        if parts.count == 2 {
            guard let written = Int(parts[1]), written >= 0, written <= (isV4 ? 32 : 128) else { return nil }
            prefix = isV4 ? written + 96 : written
        }
        self.bytes = bytes
        self.prefixLength = prefix
    }

    /// Whether the textual address `address` is in the block.
    public func contains(_ address: Substring) -> Bool {
        guard let bytes = IPAddressBytes.parse(address) else { return false }
        return self.contains(bytes: bytes)
    }

    func contains(bytes address: [UInt8]) -> Bool {
        var remaining = self.prefixLength
        var index = 0
        while remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if (self.bytes[index] & mask) != (address[index] & mask) { return false }
            remaining -= 8
            index += 1
        }
        return true
    }
}
