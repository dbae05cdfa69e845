import NIOConcurrencyHelpers

@testable import ServiceKit

/// A bus for relay tests whose publishing waits until `open()` (a broker slow to confirm), tells `publishing` what
/// each call was given, and fails the events named in `refusing`.
final class GatedEventBus: EventBus {
    /// The failure of a refused event.
    struct Refused: Error {}

    /// The event ids of each publishing call, as it starts waiting.
    let publishing: AsyncStream<[String]>
    private let publishingContinuation: AsyncStream<[String]>.Continuation
    private let gate = OneShot<Void>()
    private let refusing: Set<String>

    init(refusing: Set<String> = []) {
        (self.publishing, self.publishingContinuation) = AsyncStream.makeStream()
        self.refusing = refusing
    }

    /// Lets every publishing call, waiting or to come, finish.
    func open() {
        self.gate.deliver(())
    }

    func publish(_ event: EventEnvelope) async throws {
        try await self.publish([event])[0].get()
    }

    func publish(_ events: [EventEnvelope]) async -> [Result<Void, any Error>] {
        self.publishingContinuation.yield(events.map(\.id))
        await self.gate.value()
        return events.map { self.refusing.contains($0.id) ? .failure(Refused()) : .success(()) }
    }

    func subscribe(
        _ patterns: [String], name: String, handler: @escaping @Sendable (EventEnvelope) async throws -> Void
    ) async throws {}

    func close() async {
        self.open()
    }
}
