/// What `Idempotency-Key` found for a `POST /orders`.
public enum IdempotencyClaim: Sendable, Hashable {
    /// The key is new (or its earlier attempt was abandoned): create the order with this id.
    case claimed(orderID: String)
    /// The key's request was answered: send the same answer again.
    case completed(status: Int, body: String)
    /// The key's first request is still being worked on.
    case inProgress
    /// The key was used for a different request.
    case mismatch
}

/// A claimed `Idempotency-Key`: whose, which key, and the fingerprint of the request it stands for.
public struct IdempotencyKey: Sendable, Hashable {
    /// The user who sent it (keys are per user).
    public let userID: String
    /// The header's value.
    public let key: String
    /// A digest of the request's canonical body.
    public let fingerprint: String

    /// A key from its parts.
    public init(userID: String, key: String, fingerprint: String) {
        self.userID = userID
        self.key = key
        self.fingerprint = fingerprint
    }
}
