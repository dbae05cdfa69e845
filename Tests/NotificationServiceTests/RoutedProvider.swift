import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers

/// An HTTP provider on loopback whose answers a closure decides from the request and how many requests came to its
/// path before (FCM per token, Twilio with `Retry-After`, several providers on one port); it records every request.
final class RoutedProvider: Sendable {
    /// An answer: status, extra headers, JSON body.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: [String: String] = [:]
        var body: String = "{}"
    }

    private let route: @Sendable (ScriptedProvider.Recorded, Int) -> Answer
    private let state = NIOLockedValueBox<[ScriptedProvider.Recorded]>([])

    /// A provider answering each request with `route(request, n)`, `n` being 1 for the first request to its path.
    init(_ route: @escaping @Sendable (ScriptedProvider.Recorded, Int) -> Answer) {
        self.route = route
    }

    /// The requests received, oldest first.
    var requests: [ScriptedProvider.Recorded] { self.state.withLockedValue { $0 } }

    /// The requests to `path`, oldest first.
    func requests(to path: String) -> [ScriptedProvider.Recorded] { self.requests.filter { $0.path == path } }

    /// Runs `body` with the provider listening; `body` gets its base URL.
    func serve<Result: Sendable>(_ body: @Sendable @escaping (String) async throws -> Result) async throws -> Result {
        let router = Router()
        router.on("**", method: .post) { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let recorded = ScriptedProvider.Recorded(
                method: request.method.rawValue, path: request.uri.path, headers: request.headers,
                body: String(buffer: bytes))
            let count = self.state.withLockedValue { requests in
                requests.append(recorded)
                return requests.filter { $0.path == recorded.path }.count
            }
            let answer = self.route(recorded, count)
            var headers: HTTPFields = [.contentType: "application/json"]
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            return Response(
                status: answer.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)")
        }
    }
}
