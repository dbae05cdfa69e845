import NIOHTTP1

/// The attributes of a route that the router checks one by one, after its indexes (hosts, paths) have
/// proposed the route: the method and the headers.
struct RouteFilter: Sendable {
    /// Upper-case method names; empty accepts any method.
    private let methods: [String]
    /// Lower-cased header names, each with its lower-cased accepted values.
    private let headers: [(name: String, values: [String])]

    init(route: Route) {
        self.methods = route.methods
        self.headers = route.headers.map { name, values in
            (name: name.lowercased(), values: values.map { $0.lowercased() })
        }
    }

    /// Whether the request's method is one of the route's, and every header the route names has, on one of
    /// its lines, one of the route's values. Names and values compare case-insensitively, as in Kong.
    func accepts(method: String, headers: HTTPHeaders) -> Bool {
        if !self.methods.isEmpty && !self.methods.contains(method) { return false }
        for required in self.headers {
            let found = headers.contains { header in
                Self.equalsIgnoringCase(header.name, lowerCased: required.name)
                    && required.values.contains { Self.equalsIgnoringCase(header.value, lowerCased: $0) }
            }
            if !found { return false }
        }
        return true
    }

    /// ASCII case-insensitive equality of `string` and an already lower-cased `lowerCased`, without allocating.
    private static func equalsIgnoringCase(_ string: String, lowerCased: String) -> Bool {
        string.utf8.elementsEqual(lowerCased.utf8) { byte, lower in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == lower : byte == lower
        }
    }
}
