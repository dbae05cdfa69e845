import Gateway

/// Kong's `key-auth` schema (the body is not read yet, so `key_in_body` must stay false).
public struct KeyAuthConfiguration: PluginConfiguration {
    /// Header and query parameter names that carry the key (`apikey`).
    public var keyNames: [String]
    public var keyInHeader: Bool
    public var keyInQuery: Bool
    /// Remove the key from what goes upstream.
    public var hideCredentials: Bool
    /// The consumer (username or custom id) a request without a valid key falls back to, instead of 401.
    public var anonymous: String?
    /// Authenticate `OPTIONS` requests too.
    public var runOnPreflight: Bool

    public init(from reader: inout PluginConfigReader) {
        self.keyNames = reader.strings("key_names", default: ["apikey"])
        if self.keyNames.isEmpty { reader.fail("key_names", "expected at least one name, got an empty array") }
        self.keyInHeader = reader.bool("key_in_header", default: true)
        self.keyInQuery = reader.bool("key_in_query", default: true)
        if reader.bool("key_in_body", default: false) {
            reader.fail("key_in_body", "expected false (keys in request bodies are not supported yet), got true")
        }
        self.hideCredentials = reader.bool("hide_credentials", default: false)
        let anonymous = reader.string("anonymous", default: "")
        self.anonymous = anonymous.isEmpty ? nil : anonymous
        self.runOnPreflight = reader.bool("run_on_preflight", default: true)
    }
}
