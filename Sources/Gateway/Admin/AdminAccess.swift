import NIOHTTP1

/// Who may use an admin or status listener. On loopback anyone on the machine may, as Kong's admin API allows; on
/// any other address every request must carry `Authorization: Bearer <ADMIN_TOKEN>`, and without a token the
/// gateway refuses to start (`AdminAccess.required(for:listener:token:)`).
struct AdminAccess: Sendable {
    /// The bearer token every request must carry; nil lets every request in.
    let token: String?

    /// The access for a listener on `address`: the token when the address is not loopback, which then must exist.
    static func required(for address: ListenAddress, listener: String, token: String?) throws(ListenerSecurityError)
        -> AdminAccess
    {
        if address.isLoopback { return AdminAccess(token: nil) }
        guard let token, !token.isEmpty else { throw ListenerSecurityError(listener: listener, address: address) }
        return AdminAccess(token: token)
    }

    /// Whether a request with `headers` may be answered.
    func permits(_ headers: HTTPHeaders) -> Bool {
        guard let token = self.token else { return true }
        guard let value = headers.first(name: "authorization") else { return false }
        let scheme = value.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer" else { return false }
        let presented = value.dropFirst(scheme.count).drop { $0 == " " }
        return Self.constantTimeEqual(Array(presented.utf8), Array(token.utf8))
    }

    /// Compares without stopping at the first difference, so the time taken tells nothing about the token.
    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}

/// An admin or status listener on an address other than loopback, without `ADMIN_TOKEN`.
public struct ListenerSecurityError: Error, Sendable, CustomStringConvertible {
    /// `admin` or `status`.
    public let listener: String
    public let address: ListenAddress

    public var description: String {
        "the \(self.listener) listener \(self.address) is not a loopback address: set ADMIN_TOKEN, which every "
            + "request there must then send as \"Authorization: Bearer <token>\", or listen on 127.0.0.1"
    }
}

extension ListenAddress {
    /// Whether the host is `localhost` or a loopback address (127.0.0.0/8, `::1`, or 127.0.0.0/8 mapped into IPv6).
    public var isLoopback: Bool {
        if self.host.lowercased() == "localhost" { return true }
        guard let bytes = IPAddressBytes.parse(Substring(self.host)) else { return false }
        if IPAddressBytes.isMappedIPv4(bytes) { return bytes[12] == 127 }
        return bytes == [UInt8](repeating: 0, count: 15) + [1]
    }
}

extension GatewayOptions {
    /// Checks that every admin and status listener off loopback has `adminToken` to protect it.
    public func checkListenerSecurity() throws(ListenerSecurityError) {
        _ = try AdminAccess.required(for: self.adminListen, listener: "admin", token: self.adminToken)
        if let status = self.statusListen {
            _ = try AdminAccess.required(for: status, listener: "status", token: self.adminToken)
        }
    }
}
