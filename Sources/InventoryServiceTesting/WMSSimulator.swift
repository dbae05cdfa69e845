import Foundation
import HTTPTypes
import Hummingbird
import InventoryService
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A small warehouse management system on loopback for tests: `GET /stock` answers the levels the test set,
/// `POST /fulfilments` records the requests it takes (202); the test can make it fail (an HTTP status for the next
/// requests) or stall (answer after a long pause, for timeouts), and sign events for the inventory's webhook the
/// way the WMS does.
///
/// ```swift
/// let wms = try await WMSSimulator.start(logger: logger)
/// defer { Task { await wms.stop() } }
/// let client = WMSClient(baseURL: wms.url, token: WMSSimulator.token)
/// ```
public final class WMSSimulator: Sendable {
    /// The bearer token the simulator expects (others get 401).
    public static let token = "wms-test-token"

    /// A fulfilment request as the simulator received it.
    public struct Received: Sendable, Hashable {
        /// The request body.
        public var request: FulfilmentRequest
        /// Its `Idempotency-Key`.
        public var idempotencyKey: String?
    }

    private struct State {
        var levels: [WMSStockLevel] = []
        var fulfilments: [Received] = []
        var failures: [Int] = []
        var stall: Duration?
        var requestCount = 0
    }

    /// `http://127.0.0.1:PORT`.
    public let url: String
    private let state: NIOLockedValueBox<State>
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(url: String, state: NIOLockedValueBox<State>, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.state = state
        self.group = group
        self.task = task
    }

    /// Starts a simulator on a free loopback port.
    public static func start(logger: Logger) async throws -> WMSSimulator {
        let state = NIOLockedValueBox(State())
        let router = Router()
        router.get("/stock") { request, _ in
            try await Self.gate(request, state: state)
            let levels = state.withLockedValue { $0.levels }
            return try Self.json(["data": levels])
        }
        router.post("/fulfilments") { request, _ in
            try await Self.gate(request, state: state)
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let fulfilment = try JSONDecoder().decode(FulfilmentRequest.self, from: Data(body.readableBytesView))
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            state.withLockedValue { $0.fulfilments.append(Received(request: fulfilment, idempotencyKey: key)) }
            return Response(status: .accepted)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return WMSSimulator(url: "http://127.0.0.1:\(port)", state: state, group: group, task: task)
    }

    /// Stops the server.
    public func stop() async {
        await self.group.triggerGracefulShutdown()
        _ = try? await self.task.value
    }

    /// Sets the levels `GET /stock` answers.
    public func setLevels(_ levels: [WMSStockLevel]) {
        self.state.withLockedValue { $0.levels = levels }
    }

    /// The next requests answer these statuses, one each, before normal service resumes.
    public func fail(with statuses: [Int]) {
        self.state.withLockedValue { $0.failures = statuses }
    }

    /// Every request waits `pause` before it is answered (`nil`: none).
    public func stall(_ pause: Duration?) {
        self.state.withLockedValue { $0.stall = pause }
    }

    /// The fulfilment requests taken, in order.
    public var fulfilments: [Received] { self.state.withLockedValue { $0.fulfilments } }

    /// Requests received (any path, answered or failed).
    public var requestCount: Int { self.state.withLockedValue { $0.requestCount } }

    /// An event as the WMS sends it to `POST /wms/events`: the body, and the `X-WMS-Signature` for it signed with
    /// `secret` at `timestamp` (default now).
    public static func event(
        id: String, type: String, data: [String: Any], secret: String, timestamp: Date = Date()
    ) throws -> (body: String, signature: String) {
        let object: [String: Any] = ["id": id, "type": type, "data": data]
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let signature = WMSSignature.sign(
            body: body, secret: secret, timestamp: Int64(timestamp.timeIntervalSince1970.rounded(.down)))
        return (String(decoding: body, as: UTF8.self), signature)
    }

    /// Counts the request, checks its token, and plays a queued failure or the stall.
    private static func gate(_ request: Request, state: NIOLockedValueBox<State>) async throws {
        let (failure, stall) = state.withLockedValue { state -> (Int?, Duration?) in
            state.requestCount += 1
            return (state.failures.isEmpty ? nil : state.failures.removeFirst(), state.stall)
        }
        if let stall { try await Task.sleep(for: stall) }
        guard request.headers[.authorization] == "Bearer \(Self.token)" else { throw HTTPError(.unauthorized) }
        if let failure { throw HTTPError(HTTPResponse.Status(code: failure)) }
    }

    private static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}
