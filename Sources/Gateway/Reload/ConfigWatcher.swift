import NIOCore

/// `--watch`: polls the configuration directory every `interval` (a task of its own, never an event loop) and asks
/// `reloader` for a reload once a change has settled (`ConfigWatchDebouncer`): a change is picked up one to two
/// intervals after the last write.
final class ConfigWatcher: Sendable {
    private let task: Task<Void, Never>

    init(directory: String, interval: TimeAmount, reloader: ConfigReloader) {
        self.task = Task.detached {
            var debouncer = ConfigWatchDebouncer(loaded: ConfigDirectoryStamp.take(directory))
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(1, interval.nanoseconds)))
                if Task.isCancelled { return }
                if debouncer.observe(ConfigDirectoryStamp.take(directory)) {
                    _ = await reloader.reload(trigger: .watch)
                }
            }
        }
    }

    /// Stops polling; a reload under way finishes.
    func stop() {
        self.task.cancel()
    }
}
