import ServiceLifecycle

/// Background work that runs every `interval` (the first pass at start), and at once when woken: the outbox
/// relay, a service's expiry sweeps and sync jobs. Runs beside the server until graceful shutdown; a pass in
/// progress finishes first. Wakes that arrive during a pass make one more pass, not one each.
public final class PeriodicService: Service, Sendable {
    private let interval: Duration
    private let work: @Sendable () async -> Void
    private let wakeups: AsyncStream<Void>
    private let wakeupContinuation: AsyncStream<Void>.Continuation

    /// Runs `work` every `interval` (the first pass at start).
    public init(interval: Duration, work: @escaping @Sendable () async -> Void) {
        self.interval = interval
        self.work = work
        (self.wakeups, self.wakeupContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass now.
    public func wake() {
        self.wakeupContinuation.yield()
    }

    public func run() async throws {
        let ticker = Task { [wakeupContinuation, interval] in
            while !Task.isCancelled {
                wakeupContinuation.yield()
                try? await Task.sleep(for: interval)
            }
        }
        defer { ticker.cancel() }
        // Shutdown ends the stream rather than cancelling: a pass under way completes (its statements are not cut
        // off), and no new one starts.
        await withGracefulShutdownHandler {
            for await _ in self.wakeups {
                await self.work()
            }
        } onGracefulShutdown: {
            self.wakeupContinuation.finish()
        }
    }
}
