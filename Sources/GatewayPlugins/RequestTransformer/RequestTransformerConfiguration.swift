import Gateway

/// Kong's `request-transformer` schema: `remove`, `rename`, `replace`, `add` and `append` records, each with
/// `headers` and `querystring` lists of Kong's `"name:value"` entries.
///
/// Not supported yet, and refused at load rather than ignored: `body` lists, `http_method`, `replace.uri`, and
/// values with Kong's `$(...)` templates. The upstream `Host` and the body's framing headers (`Content-Length`,
/// `Transfer-Encoding`) belong to the gateway and cannot be edited.
public struct RequestTransformerConfiguration: PluginConfiguration {
    public var headers = TransformerEdits()
    public var querystring = TransformerEdits()

    public init(from reader: inout PluginConfigReader) {
        if let method = reader.value("http_method") {
            reader.fail(
                "http_method",
                "expected null (changing the method is not supported yet), got \(method.errorDescription)"
            )
        }
        var headers = TransformerEdits()
        var querystring = TransformerEdits()
        reader.record("remove") { record in
            Self.refuseBody(&record)
            headers.remove = record.transformerNames("headers", .headers, check: Self.headerProblem)
            querystring.remove = record.transformerNames("querystring", .querystring)
        }
        reader.record("rename") { record in
            Self.refuseBody(&record)
            headers.rename = record.transformerRenames("headers", .headers) { entry in
                Self.headerProblem(entry.name) ?? Self.headerProblem(entry.value) ?? Self.templateProblem(entry)
            }
            querystring.rename = record.transformerRenames("querystring", .querystring, check: Self.templateProblem)
        }
        reader.record("replace") { record in
            Self.refuseBody(&record)
            if let uri = record.value("uri") {
                record.fail(
                    "uri",
                    "expected null (replacing the path is not supported yet), got \(uri.errorDescription)"
                )
            }
            headers.replace = record.transformerSettings("headers", .headers, check: Self.headerSettingProblem)
            querystring.replace = record.transformerSettings("querystring", .querystring, check: Self.templateProblem)
        }
        reader.record("add") { record in
            Self.refuseBody(&record)
            headers.add = record.transformerSettings("headers", .headers, check: Self.headerSettingProblem)
            querystring.add = record.transformerSettings("querystring", .querystring, check: Self.templateProblem)
        }
        reader.record("append") { record in
            Self.refuseBody(&record)
            headers.append = record.transformerSettings("headers", .headers, check: Self.headerSettingProblem)
            querystring.append = record.transformerSettings("querystring", .querystring, check: Self.templateProblem)
        }
        self.headers = headers
        self.querystring = querystring
    }

    private static func refuseBody(_ record: inout PluginConfigReader) {
        let body = record.indexedStrings("body").map { "\"\($0.value)\"" }
        guard !body.isEmpty else { return }
        record.fail(
            "body",
            "expected an empty array (body transforms are not supported yet), got [\(body.joined(separator: ", "))]"
        )
    }

    /// Headers the gateway owns: the upstream `Host` (the service's, or the client's with `preserve_host`) and the
    /// body's framing.
    private static func headerProblem(_ name: String) -> String? {
        switch name.lowercased() {
        case "host":
            return "'\(name)' cannot be changed: the upstream Host is the service's "
                + "(or the client's, with preserve_host)"
        case "content-length", "transfer-encoding":
            return "'\(name)' cannot be changed: the gateway frames the body"
        default:
            return nil
        }
    }

    private static func headerSettingProblem(_ entry: ColonEntry) -> String? {
        Self.headerProblem(entry.name) ?? Self.templateProblem(entry)
    }

    /// Kong renders values with `$(...)` as Lua templates; this gateway does not run Lua.
    private static func templateProblem(_ entry: ColonEntry) -> String? {
        guard let start = entry.value.firstRange(of: "$("), entry.value[start.upperBound...].contains(")") else {
            return nil
        }
        return "templates ($(...)) are not supported yet, got '\(entry.value)'"
    }
}
