import NIOCore
import NIOPosix

/// A listening socket on an event loop of its own, under the tests' upstreams: `start` binds it (port 0 picks a free
/// port) and sets up each accepted connection with `childChannelInitializer`; `shutdown()` closes it and stops the
/// loop.
struct LoopbackServer: Sendable {
    /// The bound port.
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel

    static func start(
        host: String = "127.0.0.1", port: Int = 0,
        childChannelInitializer: @escaping @Sendable (Channel) -> EventLoopFuture<Void>
    ) async throws -> LoopbackServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer(childChannelInitializer)
                .bind(host: host, port: port)
                .get()
            return LoopbackServer(port: channel.localAddress!.port!, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func shutdown() async {
        try? await self.channel.close()
        try? await self.group.shutdownGracefully()
    }
}
