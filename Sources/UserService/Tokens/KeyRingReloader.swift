import Logging
import ServiceLifecycle

/// Reloads the key ring every `interval` until graceful shutdown, so that a rotation made by another process
/// (`acme users keys rotate`) reaches this one.
struct KeyRingReloader: Service {
    let keyRing: KeyRing
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: self.interval)) != nil {
                do {
                    try await self.keyRing.reload()
                } catch  where !Task.isCancelled {
                    self.logger.error("cannot reload the signing keys", metadata: ["error": "\(error)"])
                } catch {
                    return
                }
            }
        }
    }
}
