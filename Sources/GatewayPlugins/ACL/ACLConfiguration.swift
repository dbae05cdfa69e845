import Gateway

/// Kong's `acl` schema: exactly one of `allow` and `deny`, group names matched against the consumer's `groups`.
public struct ACLConfiguration: PluginConfiguration {
    public var allow: [String]?
    public var deny: [String]?
    /// Do not send `X-Consumer-Groups` upstream.
    public var hideGroupsHeader: Bool

    public init(from reader: inout PluginConfigReader) {
        let allow = reader.value("allow") == nil ? nil : reader.strings("allow", default: [])
        let deny = reader.value("deny") == nil ? nil : reader.strings("deny", default: [])
        switch (allow, deny) {
        case (nil, nil):
            reader.fail("allow", "expected one of allow or deny to be set, got neither")
        case (.some, .some):
            reader.fail("deny", "expected only one of allow or deny, got both")
        default:
            break
        }
        self.allow = allow
        self.deny = deny
        self.hideGroupsHeader = reader.bool("hide_groups_header", default: false)
    }
}
