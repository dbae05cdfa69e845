import Foundation

/// Loads a configuration directory: `plugins.json` and every `routes/*.json`, in byte-wise file-name order.
///
/// Every error of every file is collected, and an invalid configuration never half-loads: `load()` returns the
/// whole configuration or throws every error. Strings may use `${NAME}` and `${NAME:-default}` environment
/// references; error messages show such strings as written, never the variables' values.
public struct ConfigLoader: Sendable {
    public static let pluginsFileName = "plugins.json"
    public static let routesDirectoryName = "routes"

    public var directory: String
    public var environment: [String: String]
    public var plugins: any PluginCatalog

    /// - Parameters:
    ///   - directory: The directory holding `plugins.json` and `routes/`.
    ///   - environment: The variables that `${NAME}` references resolve to.
    ///   - plugins: The plugins compiled into the gateway, which validate their own configuration.
    public init(
        directory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        plugins: any PluginCatalog = NoPlugins()
    ) {
        self.directory = directory
        self.environment = environment
        self.plugins = plugins
    }

    /// Reads and validates `DIRECTORY/plugins.json` and `DIRECTORY/routes/*.json`. A missing `routes/` folder means
    /// no services.
    public func load() throws(ConfigErrors) -> GatewayConfiguration {
        let root = URL(fileURLWithPath: self.directory, isDirectory: true)
        guard Self.isDirectory(root) else {
            let message = "configuration directory not found"
            throw ConfigErrors([ConfigError(file: self.directory, path: "", message: message)])
        }
        var fileErrors: [ConfigError] = []
        let pluginsFile = Self.read(Self.pluginsFileName, in: root, errors: &fileErrors)
        var routeFiles: [(name: String, contents: String)] = []
        let routes = root.appendingPathComponent(Self.routesDirectoryName, isDirectory: true)
        if Self.isDirectory(routes) {
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: routes.path)
                for name in names where name.hasSuffix(".json") {
                    let file = "\(Self.routesDirectoryName)/\(name)"
                    if let contents = Self.read(file, in: root, errors: &fileErrors) {
                        routeFiles.append((file, contents))
                    }
                }
            } catch {
                let message = "cannot list the directory"
                fileErrors.append(ConfigError(file: Self.routesDirectoryName, path: "", message: message))
            }
        } else if FileManager.default.fileExists(atPath: routes.path) {
            let message = "expected a directory of route files"
            fileErrors.append(ConfigError(file: Self.routesDirectoryName, path: "", message: message))
        }
        return try Self.decode(
            pluginsFile: pluginsFile,
            routeFiles: routeFiles,
            environment: self.environment,
            plugins: self.plugins,
            fileErrors: fileErrors,
            directory: self.directory
        )
    }

    /// Same rules on in-memory files, for tests and the admin API: names relative to the configuration directory
    /// (`plugins.json`, `routes/orders.json`). A nil `pluginsFile` is a missing `plugins.json`. Files the
    /// configuration names (`ca_certificates`) are read relative to the current directory.
    public static func load(
        pluginsFile: String?,
        routeFiles: [(name: String, contents: String)],
        environment: [String: String],
        plugins: any PluginCatalog
    ) throws(ConfigErrors) -> GatewayConfiguration {
        let missing = ConfigError(file: Self.pluginsFileName, path: "", message: "file not found")
        return try Self.decode(
            pluginsFile: pluginsFile,
            routeFiles: routeFiles,
            environment: environment,
            plugins: plugins,
            fileErrors: pluginsFile == nil ? [missing] : [],
            directory: nil
        )
    }

    /// Decodes the files; `fileErrors` are the problems found reading them (a nil `pluginsFile` is among them).
    /// Files the configuration names are read relative to `directory`.
    private static func decode(
        pluginsFile: String?,
        routeFiles: [(name: String, contents: String)],
        environment: [String: String],
        plugins: any PluginCatalog,
        fileErrors: [ConfigError],
        directory: String?
    ) throws(ConfigErrors) -> GatewayConfiguration {
        var decoder = ConfigDecoder(environment: environment, catalog: plugins)
        decoder.directory = directory
        var configuration = GatewayConfiguration()
        if let pluginsFile {
            (configuration.consumers, configuration.plugins) = decoder.decodePluginsFile(
                Self.pluginsFileName,
                contents: pluginsFile
            )
        }
        let sortedFiles = routeFiles.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        configuration.services = sortedFiles.compactMap { decoder.decodeRouteFile($0.name, contents: $0.contents) }
        let errors = fileErrors + decoder.errors
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        var fingerprint = ConfigFingerprint()
        if let pluginsFile { fingerprint.add(file: Self.pluginsFileName, contents: pluginsFile) }
        for file in sortedFiles { fingerprint.add(file: file.name, contents: file.contents) }
        configuration.contentHash = fingerprint.hex
        return configuration
    }

    /// The UTF-8 contents of `file` (relative to `root`), or nil after recording why not.
    private static func read(_ file: String, in root: URL, errors: inout [ConfigError]) -> String? {
        let url = root.appendingPathComponent(file)
        let message: String
        if !FileManager.default.fileExists(atPath: url.path) {
            message = "file not found"
        } else if let data = FileManager.default.contents(atPath: url.path) {
            if let contents = String(data: data, encoding: .utf8) {
                return contents
            }
            message = "expected UTF-8 text"
        } else {
            message = "cannot read the file"
        }
        errors.append(ConfigError(file: file, path: "", message: message))
        return nil
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
