/// `plugins.json`: consumers and the global plugin entries.
extension ConfigDecoder {
    static let pluginsFileFields = ["consumers", "plugins"]
    static let consumerFields = ["username", "custom_id", "groups", "credentials"]
    static let pluginEntryFields = ["name", "enabled", "config"]

    /// Decodes `plugins.json` (`file` names it in errors).
    mutating func decodePluginsFile(
        _ file: String,
        contents: String
    ) -> (consumers: [Consumer], plugins: [PluginEntry]) {
        guard let root = self.begin(file: file, contents: contents),
            let object = self.object(root, fields: Self.pluginsFileFields)
        else { return ([], []) }

        var consumers: [Consumer] = []
        for node in self.array(object["consumers"]) ?? [] {
            if let consumer = self.consumer(node) {
                consumers.append(consumer)
            }
        }
        var plugins: [PluginEntry] = []
        for node in self.array(object["plugins"]) ?? [] {
            if let plugin = self.pluginEntry(node) {
                plugins.append(plugin)
            }
        }
        return (consumers, plugins)
    }

    private mutating func consumer(_ node: ConfigNode) -> Consumer? {
        guard let object = self.object(node, fields: Self.consumerFields) else { return nil }
        let usernameNode = self.required("username", in: object)
        let username = self.nonEmptyString(usernameNode)
        if let username, let usernameNode {
            self.checkUnique(
                username,
                shown: self.describe(usernameNode),
                at: usernameNode.path,
                as: "username",
                seen: \.usernames
            )
        }
        let customID = self.nonEmptyString(object["custom_id"])
        let groups = self.strings(object["groups"]) ?? []
        let credentials = self.credentials(object["credentials"])
        guard let username else { return nil }
        return Consumer(
            username: username,
            customID: customID,
            groups: groups,
            credentials: credentials,
            location: ConfigLocation(file: self.file, path: object.path)
        )
    }

    /// Plugin name to an array of credential objects, each decoded later by its plugin.
    private mutating func credentials(_ node: ConfigNode?) -> [String: [JSONValue]] {
        guard let object = self.object(node, fields: nil) else { return [:] }
        var credentials: [String: [JSONValue]] = [:]
        for (name, member) in object.nodes where self.checkKnownPlugin(name, at: member.path) {
            let elements = self.array(member) ?? []
            credentials[name] = elements.compactMap { element in
                guard let credential = self.object(element, fields: nil) else { return nil }
                self.validateCredential(name, credential: credential)
                return credential.value
            }
        }
        return credentials
    }

    private mutating func pluginEntry(_ node: ConfigNode) -> PluginEntry? {
        guard let object = self.object(node, fields: Self.pluginEntryFields) else { return nil }
        var name: String?
        if let nameNode = self.required("name", in: object), let string = self.string(nameNode) {
            if self.catalog.pluginNames.contains(string) {
                name = string
                self.checkUnique(
                    string,
                    shown: self.describe(nameNode),
                    at: nameNode.path,
                    as: "plugin",
                    seen: \.pluginEntryNames
                )
            } else {
                self.fail(nameNode, expected: "a known plugin name")
            }
        }
        let enabled = self.bool(object["enabled"]) ?? true
        let absentConfig = ConfigNode(value: .object([]), path: JSONPath.member("config", of: object.path))
        let config = self.object(object["config"] ?? absentConfig, fields: nil)
        guard let name, let config else { return nil }
        let errorCount = self.errors.count
        self.validatePlugin(name, config: config)
        if self.errors.count == errorCount {
            self.pluginDefaults[name] = config.value
        } else {
            self.invalidPluginDefaults.insert(name)
        }
        return PluginEntry(
            name: name,
            enabled: enabled,
            config: config.value,
            location: ConfigLocation(file: self.file, path: object.path)
        )
    }
}
