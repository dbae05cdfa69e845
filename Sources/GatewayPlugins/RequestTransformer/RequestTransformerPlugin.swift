import Gateway
import NIOHTTP1

/// Kong's `request-transformer`: edits the headers and the query that go upstream, in Kong's order (remove,
/// rename, replace, add, append), each edit seeing the ones before it. Header names compare case-insensitively;
/// query parameters by their decoded names.
public struct RequestTransformerPlugin: GatewayPlugin {
    public static let name = "request-transformer"
    public static let priority = 801

    private let headers: TransformerEdits
    /// The query edits with their names and values percent-encoded once, at load.
    private let queryRemove: [String]
    private let queryRename: [(old: String, new: QueryParameters.Entry)]
    private let queryReplace: [QueryParameters.Entry]
    private let queryAdd: [QueryParameters.Entry]
    private let queryAppend: [QueryParameters.Entry]
    private let editsQuery: Bool

    public init(configuration: RequestTransformerConfiguration, setup: PluginSetup) {
        self.headers = configuration.headers
        let query = configuration.querystring
        self.queryRemove = query.remove
        self.queryRename = query.rename.map { ($0.name, QueryParameters.Entry(name: $0.value, value: "")) }
        self.queryReplace = query.replace.map { QueryParameters.Entry(name: $0.name, value: $0.value) }
        self.queryAdd = query.add.map { QueryParameters.Entry(name: $0.name, value: $0.value) }
        self.queryAppend = query.append.map { QueryParameters.Entry(name: $0.name, value: $0.value) }
        self.editsQuery = !query.isEmpty
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        if !self.headers.isEmpty { Self.edit(&request.headers, self.headers) }
        if self.editsQuery { request.query = self.edit(request.query) }
        return .proceed
    }

    private static func edit(_ headers: inout HTTPHeaders, _ edits: TransformerEdits) {
        for name in edits.remove { headers.remove(name: name) }
        for rename in edits.rename where headers.contains(name: rename.name) {
            let values = headers[rename.name]
            headers.remove(name: rename.name)
            headers.remove(name: rename.value)
            for value in values { headers.add(name: rename.value, value: value) }
        }
        for entry in edits.replace where headers.contains(name: entry.name) {
            headers.replaceOrAdd(name: entry.name, value: entry.value)
        }
        for entry in edits.add where !headers.contains(name: entry.name) {
            headers.add(name: entry.name, value: entry.value)
        }
        for entry in edits.append { headers.add(name: entry.name, value: entry.value) }
    }

    private func edit(_ query: Substring?) -> Substring? {
        var parameters = QueryParameters(query)
        for name in self.queryRemove { parameters.remove(name) }
        for rename in self.queryRename { parameters.rename(rename.old, to: rename.new) }
        for entry in self.queryReplace { parameters.replace(with: entry) }
        for entry in self.queryAdd { parameters.add(entry) }
        for entry in self.queryAppend { parameters.append(entry) }
        return parameters.query
    }
}
