import Gateway
import NIOCore
import NIOHTTP1

/// Kong's `response-transformer`: edits the headers the client gets and the top-level members of a JSON body, in
/// Kong's order (remove, rename, replace, add, append).
///
/// As in Kong, the header edits decide from the headers as they reached the plugin (a header removed first still
/// counts as present for `replace` and `add`), while the JSON edits each see the ones before. The body is collected
/// only when there are JSON edits and `Content-Type` is JSON (`application/json`, `application/*+json`); a body
/// that is not a valid JSON object, or is compressed, goes through unchanged. Unlike Kong, whose decoder and encoder
/// reorder the whole object, members keep their order and form (edited ones in place, added ones last), `replace`
/// and `add` treat a `false` member as present, appending to an object makes `[value]`, and renaming a member to
/// its own name, or a header to its own name in another case, keeps it.
public struct ResponseTransformerPlugin: GatewayPlugin {
    public static let name = "response-transformer"
    public static let priority = 800

    /// A JSON edit with its name and value as the bytes written into the body, made once at load.
    struct JSONEntry: Sendable {
        let name: String
        let key: ArraySlice<UInt8>
        let value: ArraySlice<UInt8>

        init(name: String, value: String) {
            self.name = name
            self.key = Array(JSONText.quoted(name).utf8)[...]
            self.value = Array(value.utf8)[...]
        }
    }

    private let headers: TransformerEdits
    private let jsonRemove: [String]
    private let jsonRename: [(old: String, new: JSONEntry)]
    private let jsonReplace: [JSONEntry]
    private let jsonAdd: [JSONEntry]
    private let jsonAppend: [JSONEntry]
    private let hasJSONEdits: Bool

    public init(configuration: ResponseTransformerConfiguration, setup: PluginSetup) {
        self.headers = configuration.headers
        let json = configuration.json
        self.jsonRemove = json.remove
        self.jsonRename = json.rename.map { ($0.name, JSONEntry(name: $0.value, value: "")) }
        self.jsonReplace = json.replace.map { JSONEntry(name: $0.name, value: $0.value) }
        self.jsonAdd = json.add.map { JSONEntry(name: $0.name, value: $0.value) }
        self.jsonAppend = json.append.map { JSONEntry(name: $0.name, value: $0.value) }
        self.hasJSONEdits = !json.isEmpty
    }

    public func response(_ request: PluginRequest, _ response: PluginResponse) {
        if !self.headers.isEmpty { Self.edit(&response.headers, self.headers) }
        if self.transformsBody(of: response) { response.collectBody() }
    }

    public func responseBody(_ request: PluginRequest, _ response: PluginResponse, _ body: inout ByteBuffer) {
        guard self.transformsBody(of: response),
            var object = JSONObjectText(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [])
        else { return }
        for name in self.jsonRemove { object.remove(name) }
        for rename in self.jsonRename { object.rename(rename.old, to: rename.new.name, key: rename.new.key) }
        for entry in self.jsonReplace { object.replace(entry.name, with: entry.value) }
        for entry in self.jsonAdd { object.add(entry.name, key: entry.key, value: entry.value) }
        for entry in self.jsonAppend { object.append(entry.name, key: entry.key, value: entry.value) }
        guard object.changed else { return }
        body.clear()
        object.write(to: &body)
    }

    /// Whether the body is for the JSON edits: there are some, and the response is uncompressed JSON.
    private func transformsBody(of response: PluginResponse) -> Bool {
        guard self.hasJSONEdits, let contentType = response.headers.first(name: "content-type") else { return false }
        let encoding = response.headers.first(name: "content-encoding")?.lowercased() ?? "identity"
        return encoding == "identity" && JSONMediaType.matches(contentType)
    }

    /// The header edits, each deciding from `headers` as they reached the plugin.
    private static func edit(_ headers: inout HTTPHeaders, _ edits: TransformerEdits) {
        let upstream = headers
        for name in edits.remove { headers.remove(name: name) }
        for rename in edits.rename where upstream.contains(name: rename.name) {
            headers.remove(name: rename.value)
            headers.remove(name: rename.name)
            for value in upstream[rename.name] { headers.add(name: rename.value, value: value) }
        }
        for entry in edits.replace where upstream.contains(name: entry.name) {
            headers.replaceOrAdd(name: entry.name, value: entry.value)
        }
        for entry in edits.add where !upstream.contains(name: entry.name) {
            headers.replaceOrAdd(name: entry.name, value: entry.value)
        }
        for entry in edits.append { headers.add(name: entry.name, value: entry.value) }
    }
}
