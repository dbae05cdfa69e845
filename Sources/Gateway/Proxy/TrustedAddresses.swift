import NIOCore

/// A list of CIDR blocks (`--trusted-ips`): peers in it may tell the gateway who the client is through
/// `X-Forwarded-For` and the other `X-Forwarded-*` headers, as Kong's `trusted_ips`.
public struct TrustedAddresses: Sendable, Hashable {
    private var blocks: [IPBlock]

    /// No trusted addresses: the client is always the socket peer.
    public static let none = TrustedAddresses(blocks: [])

    private init(blocks: [IPBlock]) {
        self.blocks = blocks
    }

    /// Parses a comma-separated list of addresses and CIDR blocks (`127.0.0.1,10.0.0.0/8,::1`).
    /// `0.0.0.0/0,::/0` trusts everyone.
    public init(parsing list: String) throws(TrustedAddressesError) {
        var blocks: [IPBlock] = []
        for item in list.split(separator: ",") {
            let text = item.trimmingSpaces()
            if text.isEmpty { continue }
            guard let block = IPBlock(parsing: text) else { throw TrustedAddressesError(entry: String(text)) }
            blocks.append(block)
        }
        self.blocks = blocks
    }

    /// Whether `address` (a textual IPv4 or IPv6 address) is in one of the blocks.
    public func contains(_ address: Substring) -> Bool {
        guard !self.blocks.isEmpty, let bytes = IPAddressBytes.parse(address) else { return false }
        return self.blocks.contains { $0.contains(bytes: bytes) }
    }

    /// Whether nothing is trusted.
    public var isEmpty: Bool { self.blocks.isEmpty }

    /// The client's address: the socket peer, unless the peer is trusted; then the right-most address of
    /// `X-Forwarded-For` that is not trusted (or the left-most one when all are).
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard self.contains(peer[...]), !forwardedFor.isEmpty else { return peer }
        var hops: [Substring] = []
        for header in forwardedFor {
            for hop in header.split(separator: ",") {
                let trimmed = hop.trimmingSpaces()
                if !trimmed.isEmpty { hops.append(trimmed) }
            }
        }
        for hop in hops.reversed() where !self.contains(hop) {
            return IPAddressBytes.parse(hop) == nil ? peer : String(hop)
        }
        return hops.first.map(String.init) ?? peer
    }
}

/// A `--trusted-ips` entry that is not an address or CIDR block.
public struct TrustedAddressesError: Error, CustomStringConvertible {
    public var entry: String
    public var description: String { "--trusted-ips: expected an IP address or CIDR block, got \"\(self.entry)\"" }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
