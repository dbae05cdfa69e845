import Gateway

/// Kong's `response-transformer` schema: `remove`, `rename`, `replace`, `add` and `append` records, each with
/// `headers` and `json` lists of Kong's `"name:value"` entries; `replace`, `add` and `append` also have
/// `json_types`, the type (`string`, `number`, `boolean`) of the `json` value at the same index.
///
/// Stricter than Kong, at load: header names are checked in every list, a `name:value` entry needs a value, a
/// `number` value must be a number, and the body's framing headers (`Content-Length`, `Transfer-Encoding`) belong
/// to the gateway.
public struct ResponseTransformerConfiguration: PluginConfiguration {
    /// What a `json` value is written as.
    public enum JSONType: String, Sendable, CaseIterable {
        case boolean, number, string
    }

    public var headers = TransformerEdits()
    /// Edits of a JSON body's top-level members. Values are the JSON text written (`"acme"`, `10`, `true`), as
    /// `json_types` made them.
    public var json = TransformerEdits()

    public init(from reader: inout PluginConfigReader) {
        var headers = TransformerEdits()
        var json = TransformerEdits()
        reader.record("remove") { record in
            json.remove = record.transformerNames("json", .json)
            headers.remove = record.transformerNames("headers", .headers, check: Self.headerProblem)
        }
        reader.record("rename") { record in
            json.rename = record.transformerRenames("json", .json)
            headers.rename = record.transformerRenames("headers", .headers) { entry in
                Self.headerProblem(entry.name) ?? Self.headerProblem(entry.value)
            }
        }
        reader.record("replace") { record in
            json.replace = Self.jsonSettings(&record)
            headers.replace = record.transformerSettings("headers", .headers) { Self.headerProblem($0.name) }
        }
        reader.record("add") { record in
            json.add = Self.jsonSettings(&record)
            headers.add = record.transformerSettings("headers", .headers) { Self.headerProblem($0.name) }
        }
        reader.record("append") { record in
            json.append = Self.jsonSettings(&record)
            headers.append = record.transformerSettings("headers", .headers) { Self.headerProblem($0.name) }
        }
        self.headers = headers
        self.json = json
    }

    /// A record's `json` entries with their values as JSON text, typed by `json_types` (a string when it has no
    /// type at the entry's index).
    private static func jsonSettings(_ record: inout PluginConfigReader) -> [ColonEntry] {
        var types: [JSONType] = []
        for (index, name) in record.indexedStrings("json_types") {
            guard let type = JSONType(rawValue: name) else {
                let choices = JSONType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                record.fail("json_types[\(index)]", "expected one of \(choices), got \"\(name)\"")
                continue
            }
            types.append(type)
        }
        var settings: [ColonEntry] = []
        for (index, entry) in record.transformerSettings("json", .json).enumerated() {
            let type = index < types.count ? types[index] : .string
            guard let value = Self.jsonText(entry.value, as: type) else {
                let problem = "expected a number (json_types[\(index)] is \"number\"), got \"\(entry.value)\""
                record.fail("json[\(index)]", problem)
                continue
            }
            settings.append(ColonEntry(name: entry.name, value: value))
        }
        return settings
    }

    /// `value` as JSON text of `type`, as Kong converts it: a boolean is `true` for `"true"` and `false` for
    /// anything else; a number is written as Kong writes numbers; nil for a number that is not one.
    static func jsonText(_ value: String, as type: JSONType) -> String? {
        switch type {
        case .boolean:
            return value == "true" ? "true" : "false"
        case .number:
            var trimmed = value[...]
            while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            guard let number = Double(trimmed), number.isFinite else { return nil }
            return KongNumber.text(number)
        case .string:
            return JSONText.quoted(value)
        }
    }

    private static func headerProblem(_ name: String) -> String? {
        switch name.lowercased() {
        case "content-length", "transfer-encoding": return "'\(name)' cannot be changed: the gateway frames the body"
        default: return nil
        }
    }
}
