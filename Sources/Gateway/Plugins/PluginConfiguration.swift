/// A plugin's configuration, decoded from its JSON object when the configuration is loaded. Fields take Kong's
/// names and defaults; every problem is recorded in the reader with the file and JSON path, never thrown one by one.
public protocol PluginConfiguration: Sendable {
    init(from reader: inout PluginConfigReader)
}

/// Reads a plugin's configuration object field by field, recording each problem as a `ConfigError`
/// (`plugins.json: plugins[2].config.minute: expected a positive integer, got "sixty"`) and every field the
/// plugin does not read as unknown.
public struct PluginConfigReader {
    public let file: String
    /// The JSON path of the configuration object (`plugins[2].config`).
    public let path: String
    public private(set) var errors: [ConfigError] = []
    private let members: [JSONMember]
    private var read: Set<String> = []

    /// A reader of `config`, the object at `path` in `file` (a non-object is an error).
    public init(config: JSONValue, file: String, path: String) {
        self.file = file
        self.path = path
        if case .object(let members) = config {
            self.members = members
        } else {
            self.members = []
            self.errors.append(ConfigError(file: file, path: path, message: "expected an object, got \(config.errorDescription)"))
        }
    }

    /// The raw value of `key`, marking it read; nil when absent or null.
    public mutating func value(_ key: String) -> JSONValue? {
        self.read.insert(key)
        guard let value = self.members.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    /// Records `message` at the field `key`.
    public mutating func fail(_ key: String, _ message: String) {
        self.errors.append(ConfigError(file: self.file, path: self.path + "." + key, message: message))
    }

    /// The string at `key`, or `fallback` when absent (or wrong, which is recorded).
    public mutating func string(_ key: String, default fallback: String) -> String {
        guard let value = self.value(key) else { return fallback }
        guard case .string(let string) = value else {
            self.fail(key, "expected a string, got \(value.errorDescription)")
            return fallback
        }
        return string
    }

    /// A string that must be one of `choices`.
    public mutating func choice(_ key: String, _ choices: [String], default fallback: String) -> String {
        let string = self.string(key, default: fallback)
        guard choices.contains(string) else {
            self.fail(key, "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(string)\"")
            return fallback
        }
        return string
    }

    /// The boolean at `key`, or `fallback` when absent (or wrong, which is recorded).
    public mutating func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let value = self.value(key) else { return fallback }
        guard case .bool(let bool) = value else {
            self.fail(key, "expected true or false, got \(value.errorDescription)")
            return fallback
        }
        return bool
    }

    /// The integer at `key` within `range`, or `fallback` when absent (or wrong, which is recorded).
    public mutating func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int?) -> Int? {
        guard let value = self.value(key) else { return fallback }
        guard case .integer(let integer) = value, let int = Int(exactly: integer), range.contains(int) else {
            let expectation =
                range.lowerBound == 1 && range.upperBound == Int.max
                ? "a positive integer" : "an integer from \(range.lowerBound) to \(range.upperBound)"
            self.fail(key, "expected \(expectation), got \(value.errorDescription)")
            return fallback
        }
        return int
    }

    /// The array of strings at `key`, or `fallback` when absent; wrong items are recorded and left out.
    public mutating func strings(_ key: String, default fallback: [String]) -> [String] {
        guard let value = self.value(key) else { return fallback }
        guard case .array(let items) = value else {
            self.fail(key, "expected an array of strings, got \(value.errorDescription)")
            return fallback
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let string) = item else {
                self.errors.append(
                    ConfigError(file: self.file, path: "\(self.path).\(key)[\(index)]", message: "expected a string, got \(item.errorDescription)")
                )
                continue
            }
            strings.append(string)
        }
        return strings
    }

    /// The object at `key` (Kong's records, such as `redis`), read field by field by `read` with a reader of its
    /// own whose errors carry the object's path (`plugins[0].config.redis.port`) and which reports the object's
    /// unknown fields; nil when absent (or not an object, which is recorded).
    public mutating func object<Value>(_ key: String, _ read: (inout PluginConfigReader) -> Value) -> Value? {
        guard let value = self.value(key) else { return nil }
        guard case .object = value else {
            self.fail(key, "expected an object, got \(value.errorDescription)")
            return nil
        }
        var nested = PluginConfigReader(config: value, file: self.file, path: self.path + "." + key)
        let result = read(&nested)
        nested.finish()
        self.errors += nested.errors
        return result
    }

    /// Records every field that was not read as unknown, naming the allowed ones; call once, at the end.
    public mutating func finish() {
        let allowed = self.read.sorted().joined(separator: ", ")
        for member in self.members where !self.read.contains(member.key) {
            self.fail(member.key, "unknown field; allowed fields are \(allowed)")
        }
    }
}
