import Gateway

/// What a transformer list's entries name, which decides how Kong checks them.
enum TransformerField {
    /// Header names (`A-Z`, `a-z`, `0-9`, `-`, `_`); a `name:value` entry needs its colon.
    case headers
    /// Query parameters: any name; Kong asks for a value (`key 'x' has no value`) rather than a colon.
    case querystring
    /// Members of a top-level JSON object: any name; a `name:value` entry needs its colon.
    case json
}

/// Reading the lists of Kong's request and response transformers, with Kong's checks and messages. `check` adds a
/// plugin's own refusal for an entry (a message, or nil to accept it).
extension PluginConfigReader {
    /// A `remove` list: the name of each entry (whatever follows a colon is ignored, as Kong ignores it).
    mutating func transformerNames(
        _ key: String,
        _ field: TransformerField,
        check: (String) -> String? = { _ in nil }
    ) -> [String] {
        var names: [String] = []
        for (index, text) in self.indexedStrings(key) {
            guard let entry = ColonEntry(parsing: text) else {
                self.fail("\(key)[\(index)]", "expected a name, got \"\(text)\"")
                continue
            }
            if let problem = Self.nameProblem(entry.name, field) ?? check(entry.name) {
                self.fail("\(key)[\(index)]", problem)
                continue
            }
            names.append(entry.name)
        }
        return names
    }

    /// A `rename` list of `old:new` entries.
    mutating func transformerRenames(
        _ key: String,
        _ field: TransformerField,
        check: (ColonEntry) -> String? = { _ in nil }
    ) -> [ColonEntry] {
        self.colonEntries(key, field, renaming: true, check: check)
    }

    /// A `replace`, `add` or `append` list of `name:value` entries.
    mutating func transformerSettings(
        _ key: String,
        _ field: TransformerField,
        check: (ColonEntry) -> String? = { _ in nil }
    ) -> [ColonEntry] {
        self.colonEntries(key, field, renaming: false, check: check)
    }

    private mutating func colonEntries(
        _ key: String,
        _ field: TransformerField,
        renaming: Bool,
        check: (ColonEntry) -> String?
    ) -> [ColonEntry] {
        var entries: [ColonEntry] = []
        for (index, text) in self.indexedStrings(key) {
            guard let entry = ColonEntry(parsing: text) else {
                self.fail("\(key)[\(index)]", "expected a name, got \"\(text)\"")
                continue
            }
            if let problem = Self.entryProblem(entry, written: text, field, renaming: renaming, check: check) {
                self.fail("\(key)[\(index)]", problem)
                continue
            }
            entries.append(entry)
        }
        return entries
    }

    private static func entryProblem(
        _ entry: ColonEntry,
        written text: String,
        _ field: TransformerField,
        renaming: Bool,
        check: (ColonEntry) -> String?
    ) -> String? {
        if field != .querystring, !text.contains(":") { return "invalid value: \(text)" }
        if let problem = Self.nameProblem(entry.name, field) { return problem }
        if renaming, field == .headers, !ColonEntry.isHeaderName(entry.value) {
            return "'\(entry.value)' is not a valid header"
        }
        if entry.value.isEmpty { return "key '\(entry.name)' has no value" }
        return check(entry)
    }

    private static func nameProblem(_ name: String, _ field: TransformerField) -> String? {
        field == .headers && !ColonEntry.isHeaderName(name) ? "'\(name)' is not a valid header" : nil
    }
}
