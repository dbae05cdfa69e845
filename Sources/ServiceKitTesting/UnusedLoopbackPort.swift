import Foundation

/// A TCP port on 127.0.0.1 that nothing listens on now (bound to port 0, read, closed): for a server a test
/// starts in another process, or for a connection that must be refused.
///
/// - Throws: `TestSetupError` when no socket can be bound.
public func unusedLoopbackPort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
        }
    }
    guard bound else { throw TestSetupError("no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
