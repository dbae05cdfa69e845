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
    /// object (on, laid over the global defaults). An object is checked through the catalog as it will run: laid
    /// over the global entry's configuration and, for a route, over its service's object (`service`), so a route
    /// may set one field (`{"window_type": "sliding"}`) of a plugin whose other fields come from above.
    mutating func pluginToggles(_ node: ConfigNode?, service: [String: PluginToggle]? = nil) -> [String: PluginToggle] {
        guard let object = self.object(node, fields: nil) else { return [:] }
        var toggles: [String: PluginToggle] = [:]
        for (name, member) in object.nodes where self.checkKnownPlugin(name, at: member.path) {
            switch member.value {
            case .bool(let on):
                toggles[name] = on ? .on : .off
            case .object(let members):
                let config = ConfigObject(path: member.path, members: members)
                toggles[name] = .configured(config.value)
                // Problems above were reported where they are written.
                if self.invalidPluginDefaults.contains(name) || (service != nil && self.invalidServiceOverlays.contains(name)) {
                    continue
                }
                var merged = self.pluginDefaults[name] ?? .object([])
                if case .configured(let serviceObject)? = service?[name] { merged = merged.layering(serviceObject) }
                guard case .object(let mergedMembers) = merged.layering(config.value) else { continue }
                let errorCount = self.errors.count
                self.validatePlugin(name, config: ConfigObject(path: member.path, members: mergedMembers))
                if service == nil, self.errors.count > errorCount { self.invalidServiceOverlays.insert(name) }
            default:
                if !self.hasFailedSubstitution(member) {
                    self.fail(member, expected: "true, false or a configuration object")
                }
            }
        }
        return toggles
    }
}
