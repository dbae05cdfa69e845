/// Plugin names and the `plugins` toggles of services and routes.
extension ConfigDecoder {
    /// Whether `name`, used as an object key at `path`, is a known plugin; records an error when not.
    mutating func checkKnownPlugin(_ name: String, at path: String) -> Bool {
        let known = self.catalog.pluginNames
        guard !known.contains(name) else { return true }
        let list =
            known.isEmpty
            ? "no plugins are compiled into this gateway"
            : "known plugins are \(known.sorted().joined(separator: ", "))"
        self.fail(path, "unknown plugin; \(list)")
        return false
    }

    /// A service's or route's `plugins`: plugin name to `false` (off), `true` (on with the global defaults) or an
    /// object (on, laid over the global defaults), validated through the catalog.
    mutating func pluginToggles(_ node: ConfigNode?) -> [String: PluginToggle] {
        guard let object = self.object(node, fields: nil) else { return [:] }
        var toggles: [String: PluginToggle] = [:]
        for (name, member) in object.nodes where self.checkKnownPlugin(name, at: member.path) {
            switch member.value {
            case .bool(let on):
                toggles[name] = on ? .on : .off
            case .object(let members):
                let config = ConfigObject(path: member.path, members: members)
                self.validatePlugin(name, config: config)
                toggles[name] = .configured(config.value)
            default:
                if !self.hasFailedSubstitution(member) {
                    self.fail(member, expected: "true, false or a configuration object")
                }
            }
        }
        return toggles
    }
}
