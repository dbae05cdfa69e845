/// A service's `url` shorthand and its `upstream` long form.
extension ConfigDecoder {
    static let upstreamFields = [
        "targets", "algorithm", "host_header", "hash_on", "hash_fallback", "hash_on_header", "hash_fallback_header",
        "hash_on_cookie", "hash_on_cookie_path", "hash_on_query_arg", "hash_fallback_query_arg", "slots", "healthchecks",
    ]
    static let targetFields = ["target", "weight"]
    /// Kong's defaults: a URL's port by scheme, and a target's port.
    static let defaultURLPorts = ["http": 80, "https": 443]
    static let defaultTargetPort = 8000
    static let weightRange: ClosedRange<Int64> = 0...65_535
    static let slotsRange: ClosedRange<Int64> = 10...65_536

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

    /// `{ "targets": [{ "target": "host:port", "weight": 100 }], "algorithm": ..., "host_header": ..., "hash_on": ...,
    /// "healthchecks": ... }`.
    mutating func upstream(_ node: ConfigNode) -> Upstream? {
        guard let object = self.object(node, fields: Self.upstreamFields) else { return nil }
        var targets: [Target] = []
        if let targetsNode = self.required("targets", in: object), let elements = self.array(targetsNode) {
            if elements.isEmpty {
                self.fail(targetsNode.path, "expected at least one target, got an empty array")
            }
            let decoded = elements.map { self.target($0) }
            targets = decoded.compactMap { $0 }
            var seen: [Target: String] = [:]
            for (element, target) in zip(elements, decoded) {
                guard let target else { continue }
                let key = Target(host: target.host, port: target.port, weight: 0)
                if let first = seen[key] {
                    self.fail(element.path, "expected a unique target, got \(target) (already used at \(first))")
                }
                seen[key] = seen[key] ?? element.path
            }
        }
        let algorithm = self.algorithm(object["algorithm"])
        let hostHeader = self.hostHeader(object["host_header"])
        let hashing = self.hashInputs(object)
        let slots = self.integer(object["slots"], in: Self.slotsRange, expected: "an integer from 10 to 65536")
        let healthchecks = self.healthchecks(object["healthchecks"])
        guard !targets.isEmpty, let hashing, let healthchecks else { return nil }
        return Upstream(
            scheme: "http",
            targets: targets,
            algorithm: algorithm ?? .roundRobin,
            hostHeader: hostHeader,
            hashOn: hashing.on,
            hashFallback: hashing.fallback,
            slots: slots ?? 10_000,
            healthchecks: healthchecks
        )
    }

    /// `hash_on` and `hash_fallback` with the names they need, checked as Kong checks them: a header, cookie or query
    /// argument input names its header, cookie or argument; `none` and `cookie` have no fallback; the fallback differs
    /// from the input (two headers or two query arguments of different names may).
    private mutating func hashInputs(_ object: ConfigObject) -> (on: UpstreamHashInput, fallback: UpstreamHashInput)? {
        let onName = self.hashInputName(object["hash_on"]) ?? "none"
        let fallbackName = self.hashInputName(object["hash_fallback"]) ?? "none"
        let cookiePath = self.string(object["hash_on_cookie_path"]) ?? "/"
        let on = self.hashInput(onName, field: "hash_on", header: "hash_on_header", queryArg: "hash_on_query_arg", object, cookiePath: cookiePath)
        let fallback = self.hashInput(
            fallbackName,
            field: "hash_fallback",
            header: "hash_fallback_header",
            queryArg: "hash_fallback_query_arg",
            object,
            cookiePath: cookiePath
        )
        guard let on, let fallback else { return nil }
        let fallbackPath = JSONPath.member("hash_fallback", of: object.path)
        switch (on, fallback) {
        case (_, .none):
            break
        case (.none, _):
            self.fail(fallbackPath, "expected \"none\" when hash_on is \"none\", got \"\(fallback)\"")
        case (.cookie, _):
            self.fail(fallbackPath, "expected \"none\" when hash_on is \"cookie\", got \"\(fallback)\"")
        case (.header(let first), .header(let second)) where first.lowercased() == second.lowercased():
            self.fail(JSONPath.member("hash_fallback_header", of: object.path), "expected a header other than hash_on_header's")
        case (.queryArg(let first), .queryArg(let second)) where first == second:
            self.fail(
                JSONPath.member("hash_fallback_query_arg", of: object.path),
                "expected a query argument other than hash_on_query_arg's"
            )
        case (.consumer, .consumer), (.ip, .ip), (.path, .path):
            self.fail(fallbackPath, "expected an input other than hash_on's, got \"\(fallback)\"")
        default:
            break
        }
        return (on, fallback)
    }

    private mutating func hashInputName(_ node: ConfigNode?) -> String? {
        guard let name = self.string(node), let node else { return nil }
        guard UpstreamHashInput.names.contains(name) else {
            self.fail(node, expected: "one of " + UpstreamHashInput.names.map { "\"\($0)\"" }.joined(separator: ", "))
            return nil
        }
        return name
    }

    /// The input `name` names, with the header, cookie or query argument it needs from `object`.
    private mutating func hashInput(
        _ name: String,
        field: String,
        header: String,
        queryArg: String,
        _ object: ConfigObject,
        cookiePath: String
    ) -> UpstreamHashInput? {
        let needed: String
        switch name {
        case "none": return UpstreamHashInput.none
        case "consumer": return .consumer
        case "ip": return .ip
        case "path": return .path
        case "header": needed = header
        case "cookie": needed = "hash_on_cookie"
        default: needed = queryArg
        }
        guard let node = object[needed] else {
            self.fail(JSONPath.member(needed, of: object.path), "is required when \(field) is \"\(name)\"")
            return nil
        }
        guard let value = self.nonEmptyString(node) else { return nil }
        switch name {
        case "header": return .header(value)
        case "cookie": return .cookie(name: value, path: cookiePath)
        default: return .queryArg(value)
        }
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
