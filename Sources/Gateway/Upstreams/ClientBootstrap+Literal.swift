import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects to `host:port`, straight to the address when `host` is an IP address (what the gateway's own DNS
    /// resolution gives): NIO's `connect(host:port:)` would run two getaddrinfo lookups on other threads for it
    /// first, whose late answer can reach an event loop that has already shut down.
    func connect(literalOrName host: String, port: Int) -> EventLoopFuture<any Channel> {
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            return self.connect(to: address)
        }
        return self.connect(host: host, port: port)
    }
}
