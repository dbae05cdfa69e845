import NIOCore

/// Something with a read deadline for `ReadTimeoutWatch` to check.
protocol ReadTimeoutWatched: AnyObject {
    /// Fails what waited on the upstream past its `read_timeout` at `now`.
    func checkReadTimeout(now: NIODeadline)
}

/// The read timeouts of one loop's exchanges, checked by one timer every `interval` while any is watched,
/// instead of a timer per request: a timeout fires at most `interval` late, and a request costs a dictionary
/// insert and removal rather than a scheduled task.
final class ReadTimeoutWatch {
    static let interval = TimeAmount.milliseconds(50)

    private let eventLoop: EventLoop
    private var watched: [ObjectIdentifier: ReadTimeoutWatched] = [:]
    private var ticking = false

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    func watch(_ item: ReadTimeoutWatched) {
        self.watched[ObjectIdentifier(item)] = item
        if !self.ticking {
            self.ticking = true
            self.scheduleTick()
        }
    }

    func unwatch(_ item: ReadTimeoutWatched) {
        self.watched.removeValue(forKey: ObjectIdentifier(item))
    }

    private func scheduleTick() {
        self.eventLoop.assumeIsolated().scheduleTask(in: Self.interval) {
            guard !self.watched.isEmpty else {
                self.ticking = false
                return
            }
            let now = NIODeadline.now()
            for item in Array(self.watched.values) { item.checkReadTimeout(now: now) }
            self.scheduleTick()
        }
    }
}

@available(*, unavailable)
extension ReadTimeoutWatch: Sendable {}
