import Foundation
import NIOCore
import NIOHTTP1

/// A request to an admin listener, as its endpoints see it.
struct AdminRequest: Sendable {
    var method: HTTPMethod
    /// The path without the query, a trailing slash removed (`/routes/` is `/routes`).
    var path: String
    /// The values of the pattern's `{name}` segments (`/upstreams/{name}/health` gives `name`).
    var parameters: [String: String] = [:]
    /// The loop the request arrived on; answers that gather from the loops complete there.
    var eventLoop: any EventLoop
}

/// What an admin endpoint answers: a status and a JSON body (or another content type, for `/metrics`).
struct AdminAnswer: Sendable {
    var status: HTTPResponseStatus
    var body: [UInt8]
    var contentType = "application/json; charset=utf-8"
    /// Extra response headers (`Allow` on a 405, `WWW-Authenticate` on a 401).
    var headers: [(String, String)] = []
}

/// One endpoint of an admin listener: a method, a path pattern (`/routes`, `/upstreams/{name}/health`), and what
/// answers it.
struct AdminEndpoint: Sendable {
    let method: HTTPMethod
    let pattern: String
    let answer: @Sendable (AdminRequest) async -> AdminAnswer

    init(_ method: HTTPMethod, _ pattern: String, answer: @escaping @Sendable (AdminRequest) async -> AdminAnswer) {
        self.method = method
        self.pattern = pattern
        self.answer = answer
    }

    /// The parameters of `path` when it matches the pattern segment by segment (`{name}` matches any one non-empty
    /// segment), else nil.
    func match(_ path: String) -> [String: String]? {
        let patternSegments = self.pattern.split(separator: "/", omittingEmptySubsequences: false)
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard patternSegments.count == pathSegments.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(patternSegments, pathSegments) {
            if expected.hasPrefix("{"), expected.hasSuffix("}") {
                guard !actual.isEmpty else { return nil }
                parameters[String(expected.dropFirst().dropLast())] = actual.removingPercentEncoding ?? String(actual)
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }
}

/// The endpoints of one admin listener. A path no endpoint has is 404, a path some endpoint has with another
/// method is 405 naming the allowed ones, both as JSON with Kong's messages.
struct AdminRoutes: Sendable {
    let endpoints: [AdminEndpoint]

    init(_ endpoints: [AdminEndpoint]) {
        self.endpoints = endpoints
    }

    /// Answers `request` with the endpoint for its method and path.
    func answer(_ request: AdminRequest) async -> AdminAnswer {
        var request = request
        if request.path.count > 1, request.path.hasSuffix("/") { request.path.removeLast() }
        var allowed: [HTTPMethod] = []
        for endpoint in self.endpoints {
            guard let parameters = endpoint.match(request.path) else { continue }
            guard endpoint.method == request.method else {
                allowed.append(endpoint.method)
                continue
            }
            request.parameters = parameters
            return await endpoint.answer(request)
        }
        if allowed.isEmpty { return AdminJSON.answer(AdminMessage(message: "Not found"), status: .notFound) }
        var answer = AdminJSON.answer(AdminMessage(message: "Method not allowed"), status: .methodNotAllowed)
        answer.headers.append(("allow", allowed.map(\.rawValue).joined(separator: ", ")))
        return answer
    }
}

/// `{"message": "..."}`, Kong's shape for the answers the admin API makes itself.
struct AdminMessage: Encodable {
    var message: String
}
