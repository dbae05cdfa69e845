import Gateway
import NIOHTTP1

/// Kong's `cors`: answers preflight requests itself (200 with the `Access-Control-Allow-*` headers) unless
/// `preflight_continue`, and adds `Access-Control-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers` to
/// every other response, replies made by plugins or the gateway included. Header values are built at load, so a
/// request allocates nothing beyond an origin it echoes.
public struct CORSPlugin: GatewayPlugin {
    public static let name = "cors"
    public static let priority = 2000

    /// Set on a preflight request: its answer (the plugin's, or the upstream's with `preflight_continue`) gets no
    /// headers from the response phase, as in Kong.
    enum Preflight: PluginContextKey { typealias Value = Bool }

    private let configuration: CORSConfiguration
    private let allowMethods: String
    private let allowHeaders: String?
    private let exposeHeaders: String?
    private let maxAge: String?

    public init(configuration: CORSConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        self.allowMethods = configuration.methods.joined(separator: ",")
        self.allowHeaders = configuration.headers.isEmpty ? nil : configuration.headers.joined(separator: ",")
        let exposed = configuration.exposedHeaders
        self.exposeHeaders = exposed.isEmpty ? nil : exposed.joined(separator: ",")
        self.maxAge = configuration.maxAge.map(KongNumber.text)
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        guard request.method == .OPTIONS, let origin = request.headers.first(name: "origin"), !origin.isEmpty,
            request.headers.contains(name: "access-control-request-method")
        else { return .proceed }
        request.context[Preflight.self] = true
        if self.configuration.preflightContinue { return .proceed }

        var headers = HTTPHeaders()
        let allowsAll = self.allowOrigin(origin, in: &headers, addingVary: false)
        self.allowCredentials(origin, allowsAll: allowsAll, in: &headers, addingVary: false)
        if let allowHeaders = self.allowHeaders ?? request.headers.first(name: "access-control-request-headers") {
            headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: allowHeaders)
        }
        headers.replaceOrAdd(name: "Access-Control-Allow-Methods", value: self.allowMethods)
        if let maxAge = self.maxAge {
            headers.replaceOrAdd(name: "Access-Control-Max-Age", value: maxAge)
        }
        if self.configuration.privateNetwork,
            request.headers.first(name: "access-control-request-private-network") == "true"
        {
            headers.replaceOrAdd(name: "Access-Control-Allow-Private-Network", value: "true")
        }
        return .respond(PluginReply(status: .ok, headers: headers, body: ""))
    }

    public func response(_ request: PluginRequest, _ response: PluginResponse) {
        guard request.context[Preflight.self] == nil else { return }
        let origin = request.headers.first(name: "origin").flatMap { $0.isEmpty ? nil : $0 }
        guard origin != nil || self.configuration.allowOriginAbsent else { return }
        let allowsAll = self.allowOrigin(origin, in: &response.headers, addingVary: true)
        self.allowCredentials(origin, allowsAll: allowsAll, in: &response.headers, addingVary: true)
        if let exposeHeaders = self.exposeHeaders {
            response.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: exposeHeaders)
        }
    }

    /// Sets `Access-Control-Allow-Origin` for `origin` (nil when the request has none) and says whether it is `*`.
    /// `Vary: Origin` goes with any answer that depends on the origin: added to a response, set on a preflight's.
    private func allowOrigin(_ origin: String?, in headers: inout HTTPHeaders, addingVary: Bool) -> Bool {
        switch self.configuration.originPolicy.rule {
        case .any:
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
            return true
        case .single(let allowed):
            Self.varyByOrigin(&headers, adding: addingVary)
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: allowed)
            return false
        case .list(let hasWildcard, let matchers):
            Self.varyByOrigin(&headers, adding: addingVary)
            if let origin {
                if hasWildcard {
                    headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
                    return true
                }
                let normalized = CORSOrigin(origin)
                if matchers.contains(where: { $0.matches(normalized) }) {
                    headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: normalized.domainValue)
                    return false
                }
            }
            headers.remove(name: "Access-Control-Allow-Origin")
            return false
        }
    }

    /// With `credentials`, sets `Access-Control-Allow-Credentials: true`; when the allowed origin was `*`, only for
    /// a request with an origin, which then replaces the `*` (browsers refuse credentials with `*`).
    private func allowCredentials(_ origin: String?, allowsAll: Bool, in headers: inout HTTPHeaders, addingVary: Bool) {
        guard self.configuration.credentials else { return }
        if allowsAll {
            guard let origin else { return }
            Self.varyByOrigin(&headers, adding: addingVary)
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        }
        headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
    }

    private static func varyByOrigin(_ headers: inout HTTPHeaders, adding: Bool) {
        if adding {
            headers.add(name: "Vary", value: "Origin")
        } else {
            headers.replaceOrAdd(name: "Vary", value: "Origin")
        }
    }
}
