import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers

/// An HTTP provider on loopback that answers each request with the next status of its script (the last one
/// repeats) and, for a 2xx, the answer given for the request's path (`{}` for others); it records every request:
/// for the tests of retries and of the providers' exact requests.
final class ScriptedProvider: Sendable {
    struct Recorded: Sendable {
        let method: String
        let path: String
        let headers: HTTPFields
        let body: String
    }

    private let statuses: [HTTPResponse.Status]
    private let answers: [String: String]
    private let state = NIOLockedValueBox<[Recorded]>([])

    init(statuses: [HTTPResponse.Status], answers: [String: String]) {
        self.statuses = statuses
        self.answers = answers
    }

    /// The requests received, oldest first.
    var requests: [Recorded] { self.state.withLockedValue { $0 } }

    /// Runs `body` with the provider listening; `body` gets its base URL.
    func serve<Result: Sendable>(_ body: @Sendable @escaping (String) async throws -> Result) async throws -> Result {
        let router = Router()
        router.on("**", method: .post) { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let count = self.state.withLockedValue { recorded in
                recorded.append(
                    Recorded(
                        method: request.method.rawValue, path: request.uri.path, headers: request.headers,
                        body: String(buffer: bytes)))
                return recorded.count
            }
            let status = self.statuses[min(count, self.statuses.count) - 1]
            return Response(
                status: status, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: status.code < 300 ? self.answers[request.uri.path] ?? "{}" : #"{"message":"no"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)")
        }
    }
}
