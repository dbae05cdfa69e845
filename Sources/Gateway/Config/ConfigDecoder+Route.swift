/// The routes of a routes file.
extension ConfigDecoder {
    static let routeFields = [
        "name", "paths", "methods", "hosts", "headers", "strip_path", "preserve_host", "regex_priority", "plugins",
    ]
    /// Kong's rule: a route matches on at least one of these.
    static let routeMatchFields = ["paths", "methods", "hosts", "headers"]

    /// Route `index` of `routes`; nil when invalid, or when the service has no valid name to give it.
    mutating func route(_ node: ConfigNode, index: Int, serviceName: String?, servicePlugins: [String: PluginToggle]) -> Route? {
        guard let object = self.object(node, fields: Self.routeFields) else { return nil }
        let name = self.routeName(object, index: index, serviceName: serviceName)
        let paths = (self.array(object["paths"]) ?? []).compactMap { self.pathPattern($0) }
        let methods = (self.array(object["methods"]) ?? []).compactMap { self.method($0) }
        let hosts = (self.array(object["hosts"]) ?? []).compactMap { self.hostPattern($0) }
        let headers = self.headers(object["headers"])
        let stripPath = self.bool(object["strip_path"])
        let preserveHost = self.bool(object["preserve_host"])
        let regexPriority = self.integer(object["regex_priority"], in: Int64.min...Int64.max, expected: "an integer")
        let plugins = self.pluginToggles(object["plugins"], service: servicePlugins)
        let matches = Self.routeMatchFields.contains { field in
            switch object[field]?.value {
            case nil, .array([])?, .object([])?: return false
            default: return true
            }
        }
        if !matches {
            let fields = Self.routeMatchFields.joined(separator: ", ")
            self.fail(object.path, "expected at least one of \(fields) to match on")
        }
        guard let name, let serviceName else { return nil }
        return Route(
            name: name,
            serviceName: serviceName,
            paths: paths,
            methods: methods,
            hosts: hosts,
            headers: headers,
            stripPath: stripPath ?? true,
            preserveHost: preserveHost ?? false,
            regexPriority: regexPriority ?? 0,
            plugins: plugins,
            location: ConfigLocation(file: self.file, path: object.path)
        )
    }

    /// `name`, or `<service name>-<1-based index>`; unique across files.
    private mutating func routeName(_ object: ConfigObject, index: Int, serviceName: String?) -> String? {
        if let node = object["name"] {
            guard let name = self.nonEmptyString(node) else { return nil }
            self.checkUnique(name, shown: self.describe(node), at: node.path, as: "route name", seen: \.routeNames)
            return name
        }
        guard let serviceName else { return nil }
        let name = "\(serviceName)-\(index + 1)"
        let shown = JSONValue.string(name).errorDescription
        self.checkUnique(name, shown: shown, at: object.path, as: "route name", seen: \.routeNames)
        return name
    }

    /// A prefix starting with `/`, or `~` and a regular expression.
    private mutating func pathPattern(_ node: ConfigNode) -> PathPattern? {
        guard let path = self.string(node) else { return nil }
        if path.hasPrefix("~") {
            let pattern = String(path.dropFirst())
            guard !pattern.isEmpty, (try? Regex(pattern)) != nil else {
                self.fail(node, expected: "a valid regular expression after \"~\"")
                return nil
            }
            return .regex(pattern)
        }
        guard path.hasPrefix("/") else {
            self.fail(node, expected: "a path starting with \"/\", or \"~\" and a regular expression")
            return nil
        }
        return .prefix(path)
    }

    private mutating func method(_ node: ConfigNode) -> String? {
        guard let method = self.string(node) else { return nil }
        guard HostSyntax.isToken(method[...]) else {
            self.fail(node, expected: "an HTTP method")
            return nil
        }
        return method.uppercased()
    }

    private mutating func hostPattern(_ node: ConfigNode) -> String? {
        guard let host = self.string(node)?.lowercased() else { return nil }
        guard HostSyntax.isHostPattern(host[...]) else {
            self.fail(node, expected: "a host name, \"*.example.com\" or \"example.*\"")
            return nil
        }
        return host
    }

    /// Header name (lower-cased) to accepted values: an array of strings, or one string.
    private mutating func headers(_ node: ConfigNode?) -> [String: [String]] {
        guard let object = self.object(node, fields: nil) else { return [:] }
        var headers: [String: [String]] = [:]
        for (key, member) in object.nodes {
            let name = key.lowercased()
            let shownKey = JSONValue.string(key).errorDescription
            guard name != "host" else {
                self.fail(member.path, "the Host header is matched with \"hosts\", not \"headers\"")
                continue
            }
            guard HostSyntax.isToken(key[...]), headers[name] == nil else {
                let expectation = headers[name] == nil ? "an HTTP header name" : "each header name once, in any case"
                self.fail(member.path, "expected \(expectation), got \(shownKey)")
                continue
            }
            switch member.value {
            case .string(let value):
                headers[name] = [value]
            case .array(let elements):
                if elements.isEmpty {
                    self.fail(member.path, "expected at least one header value, got an empty array")
                }
                headers[name] = self.strings(member)
            default:
                self.fail(member, expected: "a string or an array of strings")
            }
        }
        return headers
    }
}
