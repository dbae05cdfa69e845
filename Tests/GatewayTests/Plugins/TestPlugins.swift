import NIOHTTP1

@testable import Gateway

/// A plugin for framework tests: adds `X-Tag: <tag>` upstream, answers 403 when the request has `X-Block`, and
/// adds `X-Seen-Tag` to the response.
struct TagPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        var tag: String
        var block: Bool

        init(from reader: inout PluginConfigReader) {
            self.tag = reader.string("tag", default: "default")
            self.block = reader.bool("block", default: true)
        }
    }

    static let name = "tag"
    static let priority = 1000
    let configuration: Configuration

    init(configuration: Configuration, setup: PluginSetup) {
        self.configuration = configuration
    }

    func access(_ request: PluginRequest) -> PluginAction {
        if self.configuration.block, request.headers.contains(name: "x-block") {
            return .respond(.message(.forbidden, "blocked by \(self.configuration.tag)"))
        }
        request.headers.add(name: "x-tag", value: self.configuration.tag)
        return .proceed
    }

    func response(_ request: PluginRequest, _ response: PluginResponse) {
        response.headers.add(name: "x-seen-tag", value: self.configuration.tag)
    }
}

/// A second plugin of higher priority, to check the chain's order.
struct FirstPlugin: GatewayPlugin {
    struct Configuration: PluginConfiguration {
        init(from reader: inout PluginConfigReader) {}
    }

    static let name = "first"
    static let priority = 5000

    init(configuration: Configuration, setup: PluginSetup) {}

    func access(_ request: PluginRequest) -> PluginAction {
        request.headers.add(name: "x-order", value: Self.name)
        return .proceed
    }
}

let testPlugins = PluginRegistry([TagPlugin.self, FirstPlugin.self])
