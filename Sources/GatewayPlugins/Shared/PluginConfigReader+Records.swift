import Gateway

extension PluginConfigReader {
    /// Reads the object at `key` (a Kong `record`, such as a transformer's `add`) with `read`, recording its
    /// problems, unknown fields included, under `key`. An absent or null record reads as an empty object, so its
    /// fields take their defaults.
    mutating func record<Value>(_ key: String, _ read: (inout PluginConfigReader) -> Value) -> Value {
        let recordPath = self.path + "." + key
        var nested = PluginConfigReader(config: self.value(key) ?? .object([]), file: self.file, path: recordPath)
        let value = read(&nested)
        nested.finish()
        for error in nested.errors {
            self.fail(key + error.path.dropFirst(recordPath.count), error.message)
        }
        return value
    }

    /// The strings of the array at `key` with their indexes, for checks that name an item's path; wrong items are
    /// recorded (as `strings` does) and left out. Absent or null is an empty array.
    mutating func indexedStrings(_ key: String) -> [(index: Int, value: String)] {
        guard let value = self.value(key) else { return [] }
        guard case .array(let items) = value else {
            self.fail(key, "expected an array of strings, got \(value.errorDescription)")
            return []
        }
        var strings: [(index: Int, value: String)] = []
        for (index, item) in items.enumerated() {
            guard case .string(let string) = item else {
                self.fail("\(key)[\(index)]", "expected a string, got \(item.errorDescription)")
                continue
            }
            strings.append((index, string))
        }
        return strings
    }
}
