import Foundation
import NIOConcurrencyHelpers

/// Writes log lines to a file descriptor from a thread of its own, so that logging never blocks an event
/// loop: a line is appended to a buffer under a lock, and the writer thread drains it every few milliseconds.
/// When the buffer is over its limit (a stalled stderr), lines are dropped and counted, never waited for.
public final class LogLineWriter: Sendable {
    /// The process's standard error.
    public static let standardError = LogLineWriter(fileDescriptor: 2)

    private struct Buffer {
        var bytes: [UInt8] = []
        var dropped = 0
    }

    private let fileDescriptor: Int32
    private let buffer = NIOLockedValueBox(Buffer())
    private let limit = 8 * 1024 * 1024
    private let started = NIOLockedValueBox(false)

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Queues one line (a newline is added).
    public func write(_ line: String) {
        self.startIfNeeded()
        self.buffer.withLockedValue { buffer in
            if buffer.bytes.count > self.limit {
                buffer.dropped += 1
            } else {
                buffer.bytes.append(contentsOf: line.utf8)
                buffer.bytes.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Writes out everything queued, on the calling thread (at exit).
    public func flush() {
        let (bytes, dropped) = self.buffer.withLockedValue { buffer in
            defer { buffer = Buffer() }
            return (buffer.bytes, buffer.dropped)
        }
        var output = bytes
        if dropped > 0 { output.append(contentsOf: "log: \(dropped) lines dropped\n".utf8) }
        var offset = 0
        while offset < output.count {
            let written = output[offset...].withUnsafeBytes { Foundation.write(self.fileDescriptor, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
    }

    private func startIfNeeded() {
        let start = self.started.withLockedValue { started in
            defer { started = true }
            return !started
        }
        guard start else { return }
        let thread = Thread { [self] in
            while true {
                self.flush()
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.name = "log-writer"
        thread.start()
    }
}
