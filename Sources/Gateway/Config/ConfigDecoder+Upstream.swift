/// A service's `url` shorthand and its `upstream` long form.
extension ConfigDecoder {
    static let upstreamFields = ["targets", "algorithm", "host_header"]
    static let targetFields = ["target", "weight"]
    /// Kong's defaults: a URL's port by scheme, and a target's port.
    static let defaultURLPorts = ["http": 80, "https": 443]
    static let defaultTargetPort = 8000
    static let weightRange: ClosedRange<Int64> = 0...65_535

    /// `http[s]://host[:port][/path]`: one target of weight 100, the path without a trailing slash, and the URL's
    /// host (with the port when not the scheme's default) as the `Host` header.
    mutating func urlUpstream(_ node: ConfigNode) -> Upstream? {
        guard let url = self.string(node) else { return nil }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard let defaultPort = Self.defaultURLPorts[scheme], url.dropFirst(scheme.count).hasPrefix("://") else {
            self.fail(node, expected: "an http:// or https:// URL")
            return nil
        }
        let kind = "an \(scheme):// URL"
        let rest = url.dropFirst(scheme.count + "://".count)
        guard !rest.contains("?"), !rest.contains("#") else {
            self.fail(node, expected: "\(kind) without query or fragment")
            return nil
        }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        guard !rest[..<pathStart].contains("@") else {
            self.fail(node, expected: "\(kind) without user info")
            return nil
        }
        let authority: HostSyntax.Authority
        switch HostSyntax.authority(rest[..<pathStart]) {
        case .success(let parsed):
            authority = parsed
        case .failure(.host):
            self.fail(node, expected: "\(kind) with a host name, IPv4 address or [IPv6] address")
            return nil
        case .failure(.port):
            self.fail(node, expected: "\(kind) with a port from 1 to 65535")
            return nil
        }
        var path = rest[pathStart...]
        guard HostSyntax.isURLPath(path) else {
            self.fail(node, expected: "\(kind) with a valid path")
            return nil
        }
        while path.hasSuffix("/") {
            path.removeLast()
        }
        let port = authority.port ?? defaultPort
        let hostHeader = port == defaultPort ? authority.bracketedHost : "\(authority.bracketedHost):\(port)"
        return Upstream(
            scheme: scheme,
            targets: [Target(host: authority.host, port: port, weight: 100)],
            path: String(path),
            hostHeader: hostHeader
        )
    }

    /// `{ "targets": [{ "target": "host:port", "weight": 100 }], "algorithm": ..., "host_header": ... }`.
    mutating func upstream(_ node: ConfigNode) -> Upstream? {
        guard let object = self.object(node, fields: Self.upstreamFields) else { return nil }
        var targets: [Target] = []
        if let targetsNode = self.required("targets", in: object), let elements = self.array(targetsNode) {
            if elements.isEmpty {
                self.fail(targetsNode.path, "expected at least one target, got an empty array")
            }
            targets = elements.compactMap { self.target($0) }
        }
        let algorithm = self.algorithm(object["algorithm"])
        let hostHeader = self.hostHeader(object["host_header"])
        guard !targets.isEmpty else { return nil }
        return Upstream(scheme: "http", targets: targets, algorithm: algorithm ?? .roundRobin, hostHeader: hostHeader)
    }

    private mutating func target(_ node: ConfigNode) -> Target? {
        guard let object = self.object(node, fields: Self.targetFields) else { return nil }
        let weight = self.integer(
            object["weight"],
            in: Self.weightRange,
            expected: "an integer from 0 to \(Self.weightRange.upperBound)"
        )
        guard let targetNode = self.required("target", in: object), let target = self.string(targetNode) else {
            return nil
        }
        switch HostSyntax.authority(target[...]) {
        case .success(let authority):
            return Target(host: authority.host, port: authority.port ?? Self.defaultTargetPort, weight: weight ?? 100)
        case .failure(.host):
            self.fail(targetNode, expected: "\"host[:port]\" with a host name, IPv4 address or [IPv6] address")
        case .failure(.port):
            self.fail(targetNode, expected: "\"host[:port]\" with a port from 1 to 65535")
        }
        return nil
    }

    private mutating func algorithm(_ node: ConfigNode?) -> Upstream.Algorithm? {
        guard let name = self.string(node), let node else { return nil }
        guard let algorithm = Upstream.Algorithm(rawValue: name) else {
            let names = Upstream.Algorithm.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            self.fail(node, expected: "one of \(names)")
            return nil
        }
        return algorithm
    }

    /// A `host[:port]` sent as the `Host` header.
    private mutating func hostHeader(_ node: ConfigNode?) -> String? {
        guard let header = self.string(node), let node else { return nil }
        guard case .success = HostSyntax.authority(header[...]) else {
            self.fail(node, expected: "a host name with an optional port")
            return nil
        }
        return header
    }
}
