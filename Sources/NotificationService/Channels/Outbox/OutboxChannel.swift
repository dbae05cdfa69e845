import Foundation

/// The channel used when no provider is configured: each notification becomes an `.eml` file in a local folder
/// (`NOTIFICATIONS_OUTBOX`, default `./data/outbox`), named after its delivery, so that a developer can read what
/// would have been sent. Text messages and push notifications are written the same way, with `X-Acme-Channel`
/// saying which they are.
public struct OutboxChannel: NotificationChannel {
    /// The folder.
    public let directory: String
    /// The sender written in `From`.
    public let from: String
    public var provider: String { "outbox" }

    /// An outbox in `directory` (made when missing).
    public init(directory: String, from: String) {
        self.directory = directory
        self.from = from
    }

    public func send(_ message: OutgoingMessage) async throws -> String? {
        let email = EmailMessage(
            from: self.from, to: message.recipients, subject: message.subject, body: message.body,
            messageID: "\(message.idempotencyKey)@acme.outbox", date: Date(),
            extraHeaders: [("X-Acme-Channel", message.channel.rawValue), ("X-Acme-Event", message.eventType)])
        let file = URL(fileURLWithPath: self.directory).appendingPathComponent("\(message.idempotencyKey).eml")
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
            try Data(email.rfc5322.utf8).write(to: file, options: .atomic)
        } catch {
            throw DeliveryFailure(.temporary, "the outbox \(self.directory) cannot be written: \(error)")
        }
        return file.lastPathComponent
    }
}
