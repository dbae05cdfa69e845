import Foundation
import Logging
import ServiceKit

/// Sends one event's notification on one channel, once: it claims the (event id, channel) pair in the delivery log
/// first, so a redelivered event finds the claim and sends nothing. A claim still pending under another sender's
/// lease makes `deliver` throw `DeliveryInProgressError`, so that the bus keeps the event and tries again later;
/// one whose lease ran out (its sender crashed or was cancelled midway) is taken over and sent (see
/// `NotificationStore.claim`), or only marked sent when its log shows an attempt the provider took. Then it tries the
/// channel's provider, recording each attempt (which renews the lease), retrying temporary failures (5xx, 429,
/// timeouts, lost connections) with exponential backoff and jitter, waiting at least as long as a provider's
/// `Retry-After` asks (up to the policy's longest wait), and giving up at once on permanent ones (4xx).
public struct DeliveryDispatcher: Sendable {
    let store: NotificationStore
    let channels: ChannelSet
    let retry: RetryPolicy
    let logger: Logger
    let now: @Sendable () -> Date

    /// A dispatcher recording in `store` and sending on `channels`.
    public init(
        store: NotificationStore, channels: ChannelSet, retry: RetryPolicy, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.channels = channels
        self.retry = retry
        self.logger = logger
        self.now = now
    }

    /// Delivers `rendered` to `recipients` on `channel` for `event`; returns the delivery as logged, or `nil` when
    /// the event was delivered on that channel before. A failed delivery is logged as failed, not thrown.
    ///
    /// - Throws: `DeliveryInProgressError` while another sender's claim is pending under its lease; the delivery
    ///   log's errors.
    @discardableResult
    public func deliver(
        event: EventEnvelope, userID: String, channel kind: ChannelKind, recipients: [String],
        rendered: NotificationTemplates.Rendered
    ) async throws -> Delivery? {
        let channel = self.channels[kind]
        guard
            let delivery = try await self.store.claim(
                eventID: event.id, eventType: event.type, userID: userID, channel: kind, provider: channel.provider,
                recipients: recipients, subject: rendered.subject, now: self.now())
        else {
            self.logger.debug(
                "notification already sent", metadata: ["event.id": "\(event.id)", "channel": "\(kind.rawValue)"])
            return nil
        }
        if delivery.attempts.contains(where: { $0.outcome == .sent }) {
            // Taken over from a sender that stopped after the provider took the message, before marking it sent.
            try await self.store.finish(
                delivery: delivery.id, status: .sent, providerMessageID: nil, error: nil, now: self.now())
            return try await self.store.delivery(id: delivery.id)
        }
        let message = OutgoingMessage(
            channel: kind, recipients: recipients, subject: rendered.subject, body: rendered.body,
            idempotencyKey: delivery.id, eventType: event.type)
        let metadata: Logger.Metadata = [
            "delivery.id": "\(delivery.id)", "event.id": "\(event.id)", "channel": "\(kind.rawValue)",
            "provider": "\(channel.provider)",
        ]
        do {
            // A delivery handed over from a stopped sender numbers its attempts on from the ones it made.
            let earlier = delivery.attempts.count
            let providerID = try await self.retry.run(
                retryable: DeliveryFailure.isTemporary, requestedDelay: DeliveryFailure.requestedDelay
            ) { number in
                try await self.attempt(earlier + number, of: message, on: channel, delivery: delivery.id)
            }
            try await self.store.finish(
                delivery: delivery.id, status: .sent, providerMessageID: providerID, error: nil, now: self.now())
            self.logger.info("notification sent", metadata: metadata)
        } catch let error as CancellationError {
            throw error
        } catch {
            try await self.store.finish(
                delivery: delivery.id, status: .failed, providerMessageID: nil, error: "\(error)", now: self.now())
            self.logger.warning("notification failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        return try await self.store.delivery(id: delivery.id)
    }

    private func attempt(
        _ number: Int, of message: OutgoingMessage, on channel: any NotificationChannel, delivery id: String
    ) async throws -> String? {
        do {
            let providerID = try await channel.send(message)
            try await self.store.record(
                Delivery.Attempt(number: number, outcome: .sent, error: nil, at: self.now()), delivery: id)
            return providerID
        } catch let error as CancellationError {
            throw error
        } catch {
            let outcome: Delivery.Attempt.Outcome =
                DeliveryFailure.isTemporary(error) ? .temporaryFailure : .permanentFailure
            try await self.store.record(
                Delivery.Attempt(number: number, outcome: outcome, error: "\(error)", at: self.now()), delivery: id)
            throw error
        }
    }
}
