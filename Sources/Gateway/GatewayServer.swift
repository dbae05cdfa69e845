import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Where and how the gateway listens.
public struct GatewayOptions: Sendable {
    public var proxyListen: ListenAddress
    public var adminListen: ListenAddress
    /// Event loops, one per core by default.
    public var threads: Int
    public var trustedAddresses: TrustedAddresses
    /// How long a stop waits for in-flight requests before closing their connections.
    public var drainTimeout: TimeAmount
    /// The name servers upstream target names are resolved with (Kong's `dns_resolver`); nil: `/etc/resolv.conf`'s.
    public var dnsResolver: [SocketAddress]?
    /// The status listener (`GET /status`, `GET /status/ready`), off when nil.
    public var statusListen: ListenAddress?
    /// The bearer token an admin or status listener off loopback requires (`ADMIN_TOKEN`); without it such a
    /// listener refuses to start.
    public var adminToken: String?
    /// How often `--watch` polls the configuration directory for changes; nil means no watching.
    public var watchInterval: TimeAmount?
    /// The HTTPS listener beside `proxyListen`, off when nil.
    public var proxyListenTLS: ProxyTLSListen?
    /// Client connection timeouts and the connection limit, on both proxy listeners.
    public var clientLimits: ClientLimits

    public init(
        proxyListen: ListenAddress = ListenAddress(host: "0.0.0.0", port: 8000),
        adminListen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8001),
        threads: Int = System.coreCount,
        trustedAddresses: TrustedAddresses = .none,
        drainTimeout: TimeAmount = .seconds(30),
        dnsResolver: [SocketAddress]? = nil,
        statusListen: ListenAddress? = nil,
        adminToken: String? = nil,
        watchInterval: TimeAmount? = nil,
        proxyListenTLS: ProxyTLSListen? = nil,
        clientLimits: ClientLimits = ClientLimits()
    ) {
        self.proxyListen = proxyListen
        self.adminListen = adminListen
        self.threads = threads
        self.trustedAddresses = trustedAddresses
        self.drainTimeout = drainTimeout
        self.dnsResolver = dnsResolver
        self.statusListen = statusListen
        self.adminToken = adminToken
        self.watchInterval = watchInterval
        self.proxyListenTLS = proxyListenTLS
        self.clientLimits = clientLimits
    }
}

/// A running gateway: the proxy listener, the admin listener (and the status listener when asked for), their
/// event loops, the configuration in force, how it is reloaded, and the resources its plugins share.
public final class GatewayServer: Sendable {
    public let runtimes: GatewayRuntimeHolder
    /// The address the proxy listener is bound to (its port is the real one when 0 was asked for).
    public let proxyAddress: SocketAddress
    /// The address the HTTPS listener is bound to, when there is one.
    public let proxyTLSAddress: SocketAddress?
    public let adminAddress: SocketAddress
    /// The status listener's address, nil when there is none.
    public let statusAddress: SocketAddress?
    /// What plugins share (Redis clients, counters): kept across reloads, closed by `shutdown`.
    public let resources: SharedResources
    /// Reloads the configuration (`SIGHUP`, `POST /reload`, `--watch`), one at a time.
    public let reloader: ConfigReloader
    /// Ready once listening, draining once stopping (`GET /status/ready`).
    public let readiness: Readiness
    /// The proxy listeners' client connections and requests, counted.
    public let statistics: ConnectionStatistics
    private let group: MultiThreadedEventLoopGroup
    private let adminChannel: Channel
    private let statusChannel: Channel?
    private let watcher: ConfigWatcher?
    /// Held until `shutdown` uses it, and released there while the event loops still run: its deinit completes a
    /// promise on one of them, which after the group stopped would be scheduling on a loop that is shut down.
    private let quiescing: NIOLockedValueBox<ServerQuiescingHelper?>
    private let upstreams: UpstreamsByLoop
    private let options: GatewayOptions
    private let logger: Logger

    private init(
        runtimes: GatewayRuntimeHolder,
        resources: SharedResources,
        reloader: ConfigReloader,
        readiness: Readiness,
        statistics: ConnectionStatistics,
        group: MultiThreadedEventLoopGroup,
        proxyChannel: Channel,
        proxyTLSChannel: Channel?,
        adminChannel: Channel,
        statusChannel: Channel?,
        watcher: ConfigWatcher?,
        quiescing: ServerQuiescingHelper,
        upstreams: UpstreamsByLoop,
        options: GatewayOptions,
        logger: Logger
    ) {
        self.runtimes = runtimes
        self.resources = resources
        self.reloader = reloader
        self.readiness = readiness
        self.statistics = statistics
        self.group = group
        self.adminChannel = adminChannel
        self.statusChannel = statusChannel
        self.watcher = watcher
        self.proxyAddress = proxyChannel.localAddress!
        self.proxyTLSAddress = proxyTLSChannel?.localAddress
        self.adminAddress = adminChannel.localAddress!
        self.statusAddress = statusChannel?.localAddress
        self.quiescing = NIOLockedValueBox(quiescing)
        self.upstreams = upstreams
        self.options = options
        self.logger = logger
    }

    /// Starts the event loops, compiles `configuration` for them, and starts the listeners. `source` is where a
    /// reload reads the configuration again (nil: only `reload(_:)` with a configuration in code). Throws
    /// `ListenerSecurityError` before anything starts when an admin or status listener is off loopback without
    /// `options.adminToken`, and `ProxyTLSError` when the HTTPS listener's certificate or key cannot be used.
    public static func start(
        configuration: GatewayConfiguration,
        plugins: PluginRegistry = PluginRegistry([]),
        options: GatewayOptions,
        source: ConfigLoader? = nil,
        logger: Logger
    ) async throws -> GatewayServer {
        let token = options.adminToken
        let adminAccess = try AdminAccess.required(for: options.adminListen, listener: "admin", token: token)
        let statusAccess = try options.statusListen.map { address throws(ListenerSecurityError) in
            try AdminAccess.required(for: address, listener: "status", token: token)
        }
        let tlsContext = try options.proxyListenTLS?.makeServerContext()
        var pluginLogger = logger
        pluginLogger[metadataKey: "log"] = "plugins"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        let resources = SharedResources()
        let quiescing = ServerQuiescingHelper(group: group)
        let registry = UpstreamRegistry(group: group, resolver: DNSResolver(group: group, nameServers: options.dnsResolver))
        let upstreams = UpstreamsByLoop(group: group, registry: registry)
        let statistics = ConnectionStatistics()
        let reloads = ReloadStatistics()
        let metrics = GatewayMetrics(group: group, connections: statistics, reloads: reloads, upstreams: registry)
        let readiness = Readiness()
        var accessLogger = logger
        accessLogger[metadataKey: "log"] = "access"
        var channels: [Channel] = []
        do {
            let runtimes = GatewayRuntimeHolder(
                try GatewayRuntime(
                    configuration: configuration,
                    plugins: plugins,
                    logger: pluginLogger,
                    eventLoopGroup: group,
                    resources: resources,
                    metrics: metrics
                )
            )
            registry.apply(configuration)
            let reloader = ConfigReloader(
                source: source,
                runtimes: runtimes,
                upstreams: registry,
                statistics: reloads,
                logger: logger
            )
            let api = AdminAPI(
                runtimes: runtimes,
                statistics: statistics,
                metrics: metrics,
                reloader: reloader,
                readiness: readiness,
                upstreams: registry,
                startedAt: Date()
            )
            var statusChannel: Channel?
            if let statusListen = options.statusListen, let statusAccess {
                let channel = try await AdminServer.bind(
                    statusListen,
                    group: group,
                    routes: api.statusRoutes,
                    access: statusAccess
                ).get()
                channels.append(channel)
                statusChannel = channel
            }
            let adminChannel = try await AdminServer.bind(
                options.adminListen,
                group: group,
                routes: api.adminRoutes,
                access: adminAccess
            ).get()
            channels.append(adminChannel)
            let bindProxy = { (address: ListenAddress, tls: NIOSSLContext?) in
                ProxyServer.bind(
                    host: address.host,
                    port: address.port,
                    group: group,
                    runtimes: runtimes,
                    upstreams: upstreams,
                    trusted: options.trustedAddresses,
                    accessLog: AccessLog(logger: accessLogger),
                    statistics: statistics,
                    quiescing: quiescing,
                    limits: options.clientLimits,
                    tls: tls
                )
            }
            let proxyChannel = try await bindProxy(options.proxyListen, nil).get()
            channels.append(proxyChannel)
            var proxyTLSChannel: Channel?
            if let listen = options.proxyListenTLS, let tlsContext {
                let channel = try await bindProxy(listen.address, tlsContext).get()
                channels.append(channel)
                proxyTLSChannel = channel
            }
            readiness.markReady()
            var watcher: ConfigWatcher?
            if let source, let interval = options.watchInterval {
                watcher = ConfigWatcher(directory: source.directory, interval: interval, reloader: reloader)
            }
            let server = GatewayServer(
                runtimes: runtimes,
                resources: resources,
                reloader: reloader,
                readiness: readiness,
                statistics: statistics,
                group: group,
                proxyChannel: proxyChannel,
                proxyTLSChannel: proxyTLSChannel,
                adminChannel: adminChannel,
                statusChannel: statusChannel,
                watcher: watcher,
                quiescing: quiescing,
                upstreams: upstreams,
                options: options,
                logger: logger
            )
            var metadata: Logger.Metadata = [
                "proxy": "\(options.proxyListen.host):\(server.proxyAddress.port ?? 0)",
                "admin": "\(options.adminListen.host):\(server.adminAddress.port ?? 0)",
                "threads": "\(options.threads)", "services": "\(configuration.services.count)",
                "routes": "\(configuration.routes.count)",
            ]
            if let statusListen = options.statusListen {
                metadata["status"] = "\(statusListen.host):\(server.statusAddress?.port ?? 0)"
            }
            if watcher != nil { metadata["watch"] = "\(source?.directory ?? "")" }
            if let listen = options.proxyListenTLS, let port = server.proxyTLSAddress?.port {
                metadata["proxy_ssl"] = "\(listen.address.host):\(port)"
            }
            logger.info("gateway started", metadata: metadata)
            return server
        } catch {
            registry.stopAll()
            for channel in channels { try? await channel.close() }
            await resources.close()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Every service's upstream health, for the admin API.
    var upstreamRegistry: UpstreamRegistry { self.upstreams.registry }

    /// Puts a new configuration in force, after any reload under way; requests already routed finish on the old
    /// one. Throws its errors (`ConfigErrors`) and keeps the old one when it does not compile. Blocks the calling
    /// thread until done: never call it on an event loop.
    public func reload(_ configuration: GatewayConfiguration) throws {
        try self.reloader.apply(configuration)
    }

    /// Reads the configuration directory again and puts it in force, or refuses it (see `ConfigReloader`).
    public func reload(trigger: ReloadRecord.Trigger) async -> ReloadRecord {
        await self.reloader.reload(trigger: trigger)
    }

    /// Stops accepting, lets in-flight requests finish (up to the drain timeout), then closes everything: the
    /// shared resources while the event loops still run, then the loops. The status listener answers
    /// `/status/ready` with 503 while the gateway drains. A second call returns at once.
    public func shutdown() async {
        var quiescing = self.quiescing.withLockedValue { $0.take() }
        guard quiescing != nil else { return }
        self.readiness.markDraining()
        self.watcher?.stop()
        self.logger.info("gateway stopping", metadata: ["drain_timeout_ms": "\(self.options.drainTimeout.nanoseconds / 1_000_000)"])
        let loop = self.group.next()
        let drained = loop.makePromise(of: Void.self)
        let finished = loop.makePromise(of: Void.self)
        let completed = NIOLockedValueBox(false)
        let finish: @Sendable () -> Void = {
            if completed.withLockedValue({ done in defer { done = true }; return !done }) { finished.succeed() }
        }
        drained.futureResult.whenComplete { _ in finish() }
        let timeout = loop.scheduleTask(in: self.options.drainTimeout) { finish() }
        quiescing?.initiateShutdown(promise: drained)
        try? await self.adminChannel.close()
        // A reload under way finishes before the resources it may make plugins with are closed.
        await self.reloader.waitForReloads()
        try? await finished.futureResult.get()
        timeout.cancel()
        try? await self.statusChannel?.close()
        // Its deinit completes a promise on the loops: it must go while they still run.
        quiescing = nil
        self.upstreams.registry.stopAll()
        self.upstreams.closeIdle()
        await self.resources.close()
        try? await self.group.shutdownGracefully()
        self.logger.info("gateway stopped")
    }
}

/// A `HOST:PORT` listen address (`0.0.0.0:8000`, `[::1]:8001`, `localhost:8000`).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; nil when it is not one. The port is decimal digits only; an IPv6 host is bracketed,
    /// and no other host holds a bracket.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let digits = text[text.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let port = Int(digits), (0...65535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.first == "[", host.last == "]" { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains("["), !host.contains("]") else { return nil }
        self.host = String(host)
        self.port = port
    }

    public var description: String { self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)" }
}
