import NIOCore

/// When a client connection has kept the gateway waiting for a request too long (NGINX's `client_header_timeout`
/// and `keepalive_timeout`). Counts request heads in and response ends out, so pipelined requests are followed;
/// the deadline runs only while no request is in progress.
struct ClientTimeoutStateMachine {
    enum State: Equatable {
        /// Kept alive between requests, nothing of the next one yet: closed silently at `deadline`.
        case idle(deadline: NIODeadline)
        /// Waiting for a request head (the first one since the accept, or one whose first bytes arrived): at
        /// `deadline` the connection closes, after a 408 when `partial`, some bytes of the head having arrived.
        case readingHead(deadline: NIODeadline, partial: Bool)
        /// `requests` request heads arrived whose responses have not ended: no client timeout runs.
        case busy(requests: Int)
        /// Upgraded to a tunnel, or timed out: no timeouts any more.
        case finished
    }

    /// What to do when the deadline passes.
    enum ExpiryAction: Equatable {
        /// The deadline moved on: nothing now.
        case none
        case close
        /// A request head was arriving: answer 408, then close.
        case answerTimeoutAndClose
    }

    let headerTimeout: TimeAmount
    let keepaliveTimeout: TimeAmount
    private(set) var state: State

    /// A connection accepted at `now`: its first request head is due within the header timeout.
    init(headerTimeout: TimeAmount, keepaliveTimeout: TimeAmount, now: NIODeadline) {
        self.headerTimeout = headerTimeout
        self.keepaliveTimeout = keepaliveTimeout
        self.state = .readingHead(deadline: now + headerTimeout, partial: false)
    }

    /// When the connection times out, or nil while none runs.
    var deadline: NIODeadline? {
        switch self.state {
        case .idle(let deadline), .readingHead(let deadline, _): return deadline
        case .busy, .finished: return nil
        }
    }

    /// Bytes arrived from the client. `now` is only read when a header timeout starts.
    mutating func bytesReceived(now: @autoclosure () -> NIODeadline) {
        switch self.state {
        case .idle:
            self.state = .readingHead(deadline: now() + self.headerTimeout, partial: true)
        case .readingHead(let deadline, partial: false):
            self.state = .readingHead(deadline: deadline, partial: true)
        case .readingHead, .busy, .finished:
            break
        }
    }

    /// A whole request head arrived.
    mutating func headReceived() {
        switch self.state {
        case .idle, .readingHead: self.state = .busy(requests: 1)
        case .busy(let requests): self.state = .busy(requests: requests + 1)
        case .finished: break
        }
    }

    /// A response ended; the connection stays open for another request.
    mutating func responseEnded(now: @autoclosure () -> NIODeadline) {
        guard case .busy(let requests) = self.state else { return }
        self.state = requests > 1 ? .busy(requests: requests - 1) : .idle(deadline: now() + self.keepaliveTimeout)
    }

    /// The connection became a tunnel: its bytes are no longer HTTP requests.
    mutating func upgraded() {
        self.state = .finished
    }

    /// A timer set for the deadline fired at `now`.
    mutating func timerFired(now: NIODeadline) -> ExpiryAction {
        switch self.state {
        case .idle(let deadline) where deadline <= now:
            self.state = .finished
            return .close
        case .readingHead(let deadline, let partial) where deadline <= now:
            self.state = .finished
            return partial ? .answerTimeoutAndClose : .close
        case .idle, .readingHead, .busy, .finished:
            return .none
        }
    }
}
