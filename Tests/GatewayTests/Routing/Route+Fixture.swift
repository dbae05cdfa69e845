@testable import Gateway

extension Route {
    /// A route of service `test` with the given attributes, its location naming it.
    static func fixture(
        _ name: String,
        paths: [String] = [],
        methods: [String] = [],
        hosts: [String] = [],
        headers: [String: [String]] = [:],
        stripPath: Bool = true,
        regexPriority: Int = 0
    ) -> Route {
        Route(
            name: name,
            serviceName: "test",
            paths: paths.map { $0.hasPrefix("~") ? .regex(String($0.dropFirst())) : .prefix($0) },
            methods: methods,
            hosts: hosts,
            headers: headers,
            stripPath: stripPath,
            regexPriority: regexPriority,
            location: ConfigLocation(file: "routes/test.json", path: "routes[\(name)]")
        )
    }
}
