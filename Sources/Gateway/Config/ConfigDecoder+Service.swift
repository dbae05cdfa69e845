/// `routes/NAME.json`: a service and its routes.
extension ConfigDecoder {
    static let routeFileFields = ["service", "routes"]
    static let serviceFields = [
        "name", "url", "upstream", "protocol", "connect_timeout", "read_timeout", "write_timeout", "retries",
        "tls_verify", "ca_certificates", "plugins",
    ]
    /// Kong's bounds: timeouts are positive milliseconds below 2^31 - 1, retries fit 15 bits.
    static let timeoutRange: ClosedRange<Int64> = 1...2_147_483_646
    static let retriesRange: ClosedRange<Int64> = 0...32_767

    /// Decodes one routes file (`file` names it in errors, e.g. `routes/orders.json`).
    mutating func decodeRouteFile(_ file: String, contents: String) -> Service? {
        self.invalidServiceOverlays = []
        guard let root = self.begin(file: file, contents: contents),
            let object = self.object(root, fields: Self.routeFileFields)
        else { return nil }
        var service = self.object(self.required("service", in: object), fields: Self.serviceFields).flatMap {
            self.service($0)
        }
        var routes: [Route] = []
        for (index, node) in (self.array(object["routes"]) ?? []).enumerated() {
            if let route = self.route(node, index: index, serviceName: service?.name, servicePlugins: service?.plugins ?? [:]) {
                routes.append(route)
            }
        }
        service?.routes = routes
        return service
    }

    /// The service without its routes.
    private mutating func service(_ object: ConfigObject) -> Service? {
        let nameNode = self.required("name", in: object)
        let name = self.nonEmptyString(nameNode)
        if let name, let nameNode {
            self.checkUnique(
                name,
                shown: self.describe(nameNode),
                at: nameNode.path,
                as: "service name",
                seen: \.serviceNames
            )
        }
        var upstream = self.serviceUpstream(object)
        if let scheme = self.serviceProtocol(object) { upstream?.scheme = scheme }
        let tls = self.upstreamTLS(object, scheme: upstream?.scheme)
        let timeout = "a positive integer of milliseconds up to \(Self.timeoutRange.upperBound)"
        let connectTimeout = self.integer(object["connect_timeout"], in: Self.timeoutRange, expected: timeout)
        let readTimeout = self.integer(object["read_timeout"], in: Self.timeoutRange, expected: timeout)
        let writeTimeout = self.integer(object["write_timeout"], in: Self.timeoutRange, expected: timeout)
        let retries = self.integer(
            object["retries"],
            in: Self.retriesRange,
            expected: "an integer from 0 to \(Self.retriesRange.upperBound)"
        )
        let plugins = self.pluginToggles(object["plugins"])
        guard let name, let upstream else { return nil }
        return Service(
            name: name,
            upstream: upstream,
            connectTimeout: connectTimeout ?? 60_000,
            readTimeout: readTimeout ?? 60_000,
            writeTimeout: writeTimeout ?? 60_000,
            retries: retries ?? 5,
            tls: tls,
            plugins: plugins,
            location: ConfigLocation(file: self.file, path: object.path)
        )
    }

    /// Exactly one of `url` and `upstream`.
    private mutating func serviceUpstream(_ object: ConfigObject) -> Upstream? {
        switch (object["url"], object["upstream"]) {
        case (let url?, nil):
            return self.urlUpstream(url)
        case (nil, let upstream?):
            return self.upstream(upstream)
        case (.some, .some):
            self.fail(object.path, "expected exactly one of \"url\" and \"upstream\", got both")
        case (nil, nil):
            self.fail(object.path, "expected exactly one of \"url\" and \"upstream\", got neither")
        }
        return nil
    }
}
