/// Decodes configuration files into the model and validates them, collecting every error instead of stopping at
/// the first. One decoder serves one load: it also checks that service and route names are unique across files.
///
/// Each file is parsed, its `${...}` references substituted, and then decoded by the `ConfigDecoder+…` extensions,
/// which read values through `ConfigDecoder+Values` so that every error carries the file and JSON path, and shows a
/// substituted string as written.
struct ConfigDecoder {
    let catalog: any PluginCatalog
    let substitution: EnvironmentSubstitution
    /// Every error so far, in the order found.
    private(set) var errors: [ConfigError] = []
    /// The file being decoded, relative to the configuration directory.
    private(set) var file = ""
    /// The substituted document of `file`.
    private var document = EnvironmentSubstitution.Document(value: .null)
    /// Where each name that must be unique was first defined, across files.
    var usernames: [String: ConfigLocation] = [:]
    var pluginEntryNames: [String: ConfigLocation] = [:]
    var serviceNames: [String: ConfigLocation] = [:]
    var routeNames: [String: ConfigLocation] = [:]
    /// Global plugin entries' configurations by name, for a service's or route's object to be checked laid over
    /// them; entries whose own configuration had errors are left out (and their overlays not checked again).
    var pluginDefaults: [String: JSONValue] = [:]
    var invalidPluginDefaults: Set<String> = []
    /// The plugins whose object on the service being decoded had errors: its routes' objects are not checked again.
    var invalidServiceOverlays: Set<String> = []
    /// The configuration directory, which relative file names (`ca_certificates`) are read from; nil for a
    /// configuration loaded from memory (they are then read from the current directory).
    var directory: String?
    /// The TLS client contexts made so far, shared by the https services with the same settings.
    var upstreamTLSContexts: [UpstreamTLSContextKey: UpstreamTLSContext] = [:]

    init(environment: [String: String], catalog: any PluginCatalog) {
        self.catalog = catalog
        self.substitution = EnvironmentSubstitution(environment: environment)
    }

    /// Starts decoding `file`: parses it and substitutes environment variables. Returns the document's root, or nil
    /// when the file is not JSON.
    mutating func begin(file: String, contents: String) -> ConfigNode? {
        self.file = file
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(contents)
        } catch {
            self.fail("line \(error.line), column \(error.column)", error.message)
            return nil
        }
        self.document = self.substitution.apply(to: value)
        for failure in self.document.errors {
            self.fail(failure.path, failure.message)
        }
        return ConfigNode(value: self.document.value, path: "")
    }

    /// Records an error at `path` of the current file.
    mutating func fail(_ path: String, _ message: String) {
        self.errors.append(ConfigError(file: self.file, path: path, message: message))
    }

    /// Records `expected EXPECTATION, got VALUE` at the node.
    mutating func fail(_ node: ConfigNode, expected expectation: String) {
        self.fail(node.path, "expected \(expectation), got \(self.describe(node))")
    }

    /// The node's value for an error message; a string that held `${...}` is shown as written, never substituted.
    func describe(_ node: ConfigNode) -> String {
        if let substitution = self.document.substitutions[node.path] {
            return JSONValue.string(substitution.written).errorDescription
        }
        return node.value.errorDescription
    }

    /// Whether the node is a string whose substitution failed: already reported, so not checked further.
    func hasFailedSubstitution(_ node: ConfigNode) -> Bool {
        self.document.failedPaths.contains(node.path)
    }

    /// Validates a plugin configuration object through the catalog. Errors at strings whose substitution failed
    /// are dropped (already reported), and substituted values in messages are replaced by the strings as written.
    mutating func validatePlugin(_ name: String, config: ConfigObject) {
        let errors = self.catalog.validate(plugin: name, config: config.value, file: self.file, path: config.path)
        self.record(errors, within: config)
    }

    /// Validates one of a consumer's credential objects through the catalog, cleaned as `validatePlugin`'s errors.
    mutating func validateCredential(_ name: String, credential: ConfigObject) {
        let errors = self.catalog.validateCredential(
            plugin: name,
            credential: credential.value,
            file: self.file,
            path: credential.path
        )
        self.record(errors, within: credential)
    }

    /// Records a catalog's errors about `object`: errors at strings whose substitution failed are dropped (already
    /// reported), and substituted values in messages are replaced by the strings as written.
    private mutating func record(_ errors: [ConfigError], within object: ConfigObject) {
        let substitutions = self.document.substitutions.filter { path, substitution in
            JSONPath.path(path, isWithin: object.path) && !substitution.value.isEmpty
        }
        for error in errors where !self.document.failedPaths.contains(error.path) {
            var error = error
            for substitution in substitutions.values {
                error.message = error.message.replacing(substitution.value, with: substitution.written)
            }
            self.errors.append(error)
        }
    }
}
