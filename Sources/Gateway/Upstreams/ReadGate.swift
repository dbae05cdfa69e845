import NIOCore

/// Back-pressure for one channel: while closed, the channel's `read()` calls are held instead of passed on,
/// and the last one held is passed on when the gate opens. A handler that intercepts `read` keeps one.
struct ReadGate {
    private var isClosed = false
    private var readHeld = false

    /// Passes `read` on, or holds it while the gate is closed.
    mutating func read(context: ChannelHandlerContext) {
        if self.isClosed {
            self.readHeld = true
        } else {
            context.read()
        }
    }

    mutating func close() {
        self.isClosed = true
    }

    /// Opens the gate, passing on a held read.
    mutating func open(context: ChannelHandlerContext?) {
        guard self.isClosed else { return }
        self.isClosed = false
        if self.readHeld, let context {
            self.readHeld = false
            context.read()
        }
    }
}
