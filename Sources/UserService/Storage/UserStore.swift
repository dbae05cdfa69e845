import ServiceKit

/// What the user service keeps in its database: accounts, OAuth clients and signing keys. One implementation,
/// `SQLUserStore`, runs on PostgreSQL and on SQLite.
public protocol UserStore: Sendable {
    /// Adds `user` and, in the same transaction, `event` to the outbox.
    ///
    /// - Throws: `UserStoreError.emailTaken` when the email belongs to another account.
    func createUser(_ user: UserRecord, event: EventEnvelope) async throws

    /// The user with `id`.
    func user(id: String) async throws -> UserRecord?

    /// The user with the normalised `email`.
    func user(email: String) async throws -> UserRecord?

    /// Replaces the stored fields of `user.id` (not `createdAt`); `false` when there is no such user.
    ///
    /// - Throws: `UserStoreError.emailTaken` when the new email belongs to another account.
    func updateUser(_ user: UserRecord) async throws -> Bool

    /// Deletes the user; `false` when there was none.
    func deleteUser(id: String) async throws -> Bool

    /// Up to `limit` users with ids after `afterID`, by id.
    func users(after afterID: String?, limit: Int) async throws -> [UserRecord]

    /// Adds a client.
    ///
    /// - Throws: `UserStoreError.clientExists` when its id is taken.
    func createClient(_ client: OAuthClientRecord) async throws

    /// The client with `id`.
    func client(id: String) async throws -> OAuthClientRecord?

    /// Every signing key, newest first.
    func signingKeys() async throws -> [SigningKeyRecord]

    /// Adds `key` as the current signing key and retires the others at `key.createdAt`; with `onlyIfNone`, does
    /// nothing when a current key exists. Runs alone (an exclusive transaction), so two processes starting at
    /// once make one key. Returns whether `key` was added.
    func addSigningKey(_ key: SigningKeyRecord, onlyIfNone: Bool) async throws -> Bool

    /// Deletes keys retired before `cutoff` (milliseconds since 1970): their tokens have expired.
    func deleteSigningKeys(retiredBefore cutoff: Int64) async throws

    /// Checks that the database answers.
    func ping() async throws
}

/// Refusals of the store.
public enum UserStoreError: Error, Sendable, Equatable {
    /// The email belongs to another account.
    case emailTaken
    /// The client id is taken.
    case clientExists
}
