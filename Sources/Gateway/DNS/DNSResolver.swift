import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Resolves upstream target names without blocking an event loop: the hosts file first, then A and AAAA queries over
/// UDP (NIO) to the configured name servers, keeping each answer's TTL so that a name is resolved again when its
/// answer expires. IPv4 addresses are preferred, as Kong's default `dns_order` does: a name's IPv6 addresses are used
/// only when it has no IPv4 one.
final class DNSResolver: Sendable {
    /// How long one server may take to answer, before the next is asked.
    static let queryTimeout = TimeAmount.seconds(2)
    /// How soon a name that could not be resolved is tried again (Kong's `dns_error_ttl`), and a name that does not
    /// exist (Kong's `dns_not_found_ttl`).
    static let errorRetry = TimeAmount.seconds(1)
    static let notFoundRetry = TimeAmount.seconds(30)

    /// Why a name has no addresses.
    enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case noAnswer(String)

        var description: String {
            switch self {
            case .notFound(let name): return "\(name): name not found"
            case .noAnswer(let name): return "\(name): no name server answered"
            }
        }
    }

    let nameServers: [SocketAddress]
    let hosts: HostsFile
    let group: any EventLoopGroup

    /// `nameServers` nil reads them from `/etc/resolv.conf` (127.0.0.1:53 when it names none).
    init(group: any EventLoopGroup, nameServers: [SocketAddress]? = nil, hosts: HostsFile? = nil) {
        self.group = group
        self.nameServers = nameServers ?? Self.systemNameServers()
        self.hosts = hosts ?? .system()
    }

    /// The addresses of `name` and how many seconds they stay valid.
    func resolve(_ name: String) -> EventLoopFuture<(addresses: [String], ttl: Int)> {
        let loop = self.group.next()
        if let addresses = self.hosts.addresses(of: name) { return loop.makeSucceededFuture((addresses, Int.max)) }
        return self.ask(name, servers: self.nameServers[...], on: loop)
    }

    /// Keeps `addresses` resolved until the returned task stops: again when the answer's TTL ends, sooner after a
    /// failure (the last addresses stay in use meanwhile).
    func keepResolved(_ name: String, into addresses: TargetAddresses) -> any UpstreamBackgroundTask {
        let task = RepeatingResolution(name: name, addresses: addresses, resolver: self)
        task.run()
        return task
    }

    /// Resolves `name` into `addresses` once.
    func resolveOnce(_ name: String, into addresses: TargetAddresses) {
        self.resolve(name).whenComplete { result in Self.record(result, name: name, into: addresses) }
    }

    /// Records a resolution's result in `addresses`; returns when to resolve again.
    @discardableResult
    static func record(
        _ result: Result<(addresses: [String], ttl: Int), any Error>,
        name: String,
        into addresses: TargetAddresses
    ) -> TimeAmount? {
        switch result {
        case .success(let answer) where !answer.addresses.isEmpty:
            addresses.update(answer.addresses, resolution: .resolved(ttl: answer.ttl))
            return answer.ttl == Int.max ? nil : .seconds(Int64(max(answer.ttl, 1)))
        case .success:
            addresses.update(nil, resolution: .failed("\(name): no address records"))
            return Self.errorRetry
        case .failure(let error):
            addresses.update(nil, resolution: .failed("\(error)"))
            if case Failure.notFound = error { return Self.notFoundRetry }
            return Self.errorRetry
        }
    }

    private func ask(
        _ name: String,
        servers: ArraySlice<SocketAddress>,
        on loop: any EventLoop
    ) -> EventLoopFuture<(addresses: [String], ttl: Int)> {
        guard let server = servers.first else { return loop.makeFailedFuture(Failure.noAnswer(name)) }
        let a = DNSQuery.send(name: name, type: .a, to: server, timeout: Self.queryTimeout, on: loop)
        let aaaa = DNSQuery.send(name: name, type: .aaaa, to: server, timeout: Self.queryTimeout, on: loop)
        return a.and(aaaa).flatMapThrowing { answers -> (addresses: [String], ttl: Int) in
            // IPv4 first, as Kong's default `dns_order` asks: AAAA records only for a name without A records.
            switch answers {
            case (.addresses(let v4, let ttl), _) where !v4.isEmpty, (_, .addresses(let v4, let ttl)) where !v4.isEmpty:
                return (v4, ttl)
            case (.addresses, .addresses):
                return ([], 0)
            case (.notFound, _), (_, .notFound):
                throw Failure.notFound(name)
            default:
                throw Failure.noAnswer(name)
            }
        }.flatMapError { error in
            if case Failure.notFound = error { return loop.makeFailedFuture(error) }
            return self.ask(name, servers: servers.dropFirst(), on: loop)
        }
    }

    /// The `nameserver` lines of `/etc/resolv.conf`, on port 53.
    static func systemNameServers(path: String = "/etc/resolv.conf") -> [SocketAddress] {
        let contents = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let servers = contents.split(whereSeparator: \.isNewline).compactMap { line -> SocketAddress? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            return try? SocketAddress(ipAddress: String(fields[1]), port: 53)
        }
        return servers.isEmpty ? [try! SocketAddress(ipAddress: "127.0.0.1", port: 53)] : servers
    }
}

/// Resolves one name again and again, each time its answer expires, until stopped.
private final class RepeatingResolution: UpstreamBackgroundTask {
    private let name: String
    private let addresses: TargetAddresses
    private let resolver: DNSResolver
    private let next = NIOLockedValueBox<(stopped: Bool, scheduled: Scheduled<Void>?)>((false, nil))

    init(name: String, addresses: TargetAddresses, resolver: DNSResolver) {
        self.name = name
        self.addresses = addresses
        self.resolver = resolver
    }

    func run() {
        let future = self.resolver.resolve(self.name)
        let loop = future.eventLoop
        future.whenComplete { result in
            guard let delay = DNSResolver.record(result, name: self.name, into: self.addresses) else { return }
            self.next.withLockedValue { next in
                guard !next.stopped else { return }
                next.scheduled = loop.scheduleTask(in: delay) { self.run() }
            }
        }
    }

    func stop() {
        self.next.withLockedValue { next in
            next.stopped = true
            next.scheduled?.cancel()
        }
    }
}
