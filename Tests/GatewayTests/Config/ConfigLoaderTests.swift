import Foundation
import Testing

@testable import Gateway

@Suite struct ConfigLoaderTests {
    @Test func loadsTheDesignExamplesIntoTheModel() throws {
        let configuration = try ConfigFixtures.load(
            plugins: ConfigFixtures.pluginsFile,
            routes: [("routes/orders.json", ConfigFixtures.ordersFile)],
            environment: ConfigFixtures.environment
        )
        let jwtCredential = try JSONParser.parse(
            #"{ "key": "mobile-app", "algorithm": "HS256", "secret": "jwt-secret-value" }"#
        )
        #expect(
            configuration.consumers == [
                Consumer(
                    username: "mobile-app",
                    groups: ["customers"],
                    credentials: [
                        "jwt": [jwtCredential], "key-auth": [try JSONParser.parse(#"{ "key": "local-dev-key" }"#)],
                    ],
                    location: ConfigLocation(file: "plugins.json", path: "consumers[0]")
                )
            ]
        )
        let jwtConfig = try JSONParser.parse(
            #"{ "jwks_url": "http://127.0.0.1:8101/.well-known/jwks.json", "claims_to_verify": ["exp"] }"#
        )
        #expect(
            configuration.plugins == [
                PluginEntry(
                    name: "correlation-id",
                    config: try JSONParser.parse(#"{ "header_name": "X-Request-ID" }"#),
                    location: ConfigLocation(file: "plugins.json", path: "plugins[0]")
                ),
                PluginEntry(
                    name: "rate-limiting",
                    config: try JSONParser.parse(#"{ "minute": 600, "policy": "local" }"#),
                    location: ConfigLocation(file: "plugins.json", path: "plugins[1]")
                ),
                PluginEntry(
                    name: "jwt",
                    enabled: false,
                    config: jwtConfig,
                    location: ConfigLocation(file: "plugins.json", path: "plugins[2]")
                ),
            ]
        )
        let route = Route(
            name: "orders",
            serviceName: "orders",
            paths: [.prefix("/api/orders")],
            methods: ["GET", "POST"],
            plugins: [
                "jwt": .on,
                "rate-limiting": .configured(try JSONParser.parse(#"{ "minute": 60, "limit_by": "consumer" }"#)),
                "cors": .off,
            ],
            location: ConfigLocation(file: "routes/orders.json", path: "routes[0]")
        )
        #expect(
            configuration.services == [
                Service(
                    name: "orders",
                    upstream: Upstream(
                        targets: [Target(host: "127.0.0.1", port: 8102, weight: 100)],
                        hostHeader: "127.0.0.1:8102"
                    ),
                    connectTimeout: 2000,
                    readTimeout: 30000,
                    writeTimeout: 30000,
                    retries: 2,
                    plugins: ["rate-limiting": .configured(try JSONParser.parse(#"{ "minute": 120 }"#))],
                    routes: [route],
                    location: ConfigLocation(file: "routes/orders.json", path: "service")
                )
            ]
        )
        #expect(configuration.routes == [route])
    }

    @Test func aMissingPluginsFileIsAnErrorAndAnEmptyOneIsValid() throws {
        #expect(ConfigFixtures.errors(plugins: nil) == ["plugins.json: file not found"])
        let configuration = try ConfigFixtures.load(plugins: "{}")
        #expect(configuration.consumers.isEmpty && configuration.plugins.isEmpty && configuration.services.isEmpty)
    }

    @Test func reportsMalformedJSONWithLineAndColumn() {
        let file = """
            {
              "service": { "name": "orders",
                "url" "http://127.0.0.1:8102" }
            }
            """
        #expect(
            ConfigFixtures.errors(routes: [("routes/orders.json", file)]) == [
                "routes/orders.json: line 3, column 11: expected ':' after an object key, got '\"'"
            ]
        )
    }

    @Test func collectsEveryErrorOfEveryFileSortedByFileThenPath() {
        let plugins = #"{ "plugins": [{ "name": "foo" }], "consumers": [{ "groups": "staff" }] }"#
        let second = ConfigFixtures.routesFile(
            service: #"{ "name": "orders", "url": "ftp://orders" }"#,
            routes: #"[{ "paths": ["api"] }, { "name": "a-1", "hosts": ["A.example.com"] }]"#
        )
        let first = ConfigFixtures.routesFile(
            service: #"{ "name": "a", "url": "http://a", "retries": -1 }"#,
            routes: #"[{ "paths": ["/a"] }, { "paths": ["/b"], "strip_path": "yes" }]"#
        )
        let malformed = "{ \"service\": {\n} ]"
        #expect(
            ConfigFixtures.errors(
                plugins: plugins,
                routes: [("routes/orders.json", second), ("routes/z.json", malformed), ("routes/a.json", first)]
            ) == [
                "plugins.json: consumers[0].groups: expected an array, got \"staff\"",
                "plugins.json: consumers[0].username: is required",
                "plugins.json: plugins[0].name: expected a known plugin name, got \"foo\"",
                "routes/a.json: routes[1].strip_path: expected true or false, got \"yes\"",
                "routes/a.json: service.retries: expected an integer from 0 to 32767, got -1",
                "routes/orders.json: routes[0].paths[0]: expected a path starting with \"/\", or \"~\" and a regular "
                    + "expression, got \"api\"",
                "routes/orders.json: routes[1].name: expected a unique route name, got \"a-1\" (already used at "
                    + "routes/a.json: routes[0])",
                "routes/orders.json: service.url: expected an http:// or https:// URL, got \"ftp://orders\"",
                "routes/z.json: line 2, column 3: expected ',' or '}' after an object member, got ']'",
            ]
        )
    }

    @Test func neverHalfLoads() {
        let valid = ConfigFixtures.routesFile(service: #"{ "name": "a", "url": "http://a" }"#)
        let invalid = ConfigFixtures.routesFile(service: #"{ "name": "b" }"#)
        #expect(
            ConfigFixtures.errors(routes: [("routes/a.json", valid), ("routes/b.json", invalid)]) == [
                "routes/b.json: service: expected exactly one of \"url\" and \"upstream\", got neither"
            ]
        )
    }

    // MARK: Directories

    /// A fresh temporary directory holding `files` (relative paths to contents), removed after `body`.
    private func withDirectory(
        _ files: [String: [UInt8]],
        _ body: (String) throws -> Void
    ) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, contents) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(contents).write(to: url)
        }
        try body(root.path)
    }

    private func service(_ name: String) -> [UInt8] {
        Array(ConfigFixtures.routesFile(service: #"{ "name": "\#(name)", "url": "http://\#(name)" }"#).utf8)
    }

    @Test func loadsADirectoryInByteWiseFileOrder() throws {
        let files = [
            "plugins.json": Array(ConfigFixtures.pluginsFile.utf8),
            "routes/b.json": self.service("b"),
            "routes/a.json": self.service("a"),
            "routes/a-b.json": self.service("a-b"),
            "routes/Z.json": self.service("z"),
            "routes/README.md": Array("not configuration".utf8),
        ]
        try self.withDirectory(files) { directory in
            let loader = ConfigLoader(
                directory: directory,
                environment: ConfigFixtures.environment,
                plugins: TestCatalog()
            )
            let configuration = try loader.load()
            #expect(configuration.services.map(\.name) == ["z", "a-b", "a", "b"])
            #expect(
                configuration.services.map(\.location.file) == [
                    "routes/Z.json", "routes/a-b.json", "routes/a.json", "routes/b.json",
                ])
            #expect(configuration.plugins.count == 3)
        }
    }

    @Test func aDirectoryWithoutRoutesHasNoServices() throws {
        try self.withDirectory(["plugins.json": Array("{}".utf8)]) { directory in
            let configuration = try ConfigLoader(directory: directory, environment: [:]).load()
            #expect(configuration.services.isEmpty)
        }
    }

    @Test func reportsAMissingPluginsFileWithTheErrorsOfTheRouteFiles() throws {
        let files = [
            "routes/a.json": Array(ConfigFixtures.routesFile(service: #"{ "name": "" }"#).utf8),
            "routes/b.json": [0x7B, 0xFF, 0x7D],
        ]
        try self.withDirectory(files) { directory in
            #expect(
                throws: ConfigErrors([
                    ConfigError(file: "plugins.json", path: "", message: "file not found"),
                    ConfigError(
                        file: "routes/a.json", path: "service.name", message: "expected a non-empty string, got \"\""),
                    ConfigError(
                        file: "routes/a.json",
                        path: "service",
                        message: "expected exactly one of \"url\" and \"upstream\", got neither"
                    ),
                    ConfigError(file: "routes/b.json", path: "", message: "expected UTF-8 text"),
                ])
            ) {
                try ConfigLoader(directory: directory, environment: [:], plugins: TestCatalog()).load()
            }
        }
    }

    @Test func reportsAMissingDirectoryByName() {
        let directory = "/nonexistent/acme-config"
        #expect(
            throws: ConfigErrors([
                ConfigError(file: directory, path: "", message: "configuration directory not found")
            ])
        ) {
            try ConfigLoader(directory: directory, environment: [:]).load()
        }
    }

    @Test func reportsARoutesFileThatIsNotADirectory() throws {
        try self.withDirectory(["plugins.json": Array("{}".utf8), "routes": []]) { directory in
            #expect(
                throws: ConfigErrors([
                    ConfigError(file: "routes", path: "", message: "expected a directory of route files")
                ])
            ) {
                try ConfigLoader(directory: directory, environment: [:]).load()
            }
        }
    }
}
