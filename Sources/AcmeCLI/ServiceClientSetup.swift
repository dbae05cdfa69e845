import Foundation
import OrderService
import ServiceKit
import UserService

/// A service's own OAuth client for `acme up` (client credentials), created in the user service's store when
/// missing: the order service's (`ORDERS_CLIENT_ID` / `ORDERS_CLIENT_SECRET`, scopes `users:read inventory:write`)
/// and the notification service's (`NOTIFICATIONS_CLIENT_ID` / `NOTIFICATIONS_CLIENT_SECRET`, scope `users:read`).
/// The credentials come from the environment when both variables are set; otherwise the client is `acme-SERVICE`
/// and its secret is made once and kept in `./data/SERVICE-client.secret` (readable by its owner only), so that the
/// next `acme up` finds it again.
struct ServiceClientSetup: Sendable {
    /// The order service's client.
    static let orders = ServiceClientSetup(
        service: "orders", name: "Order service", scopes: OrderServiceConfiguration.scopes)
    /// The notification service's client.
    static let notifications = ServiceClientSetup(
        service: "notifications", name: "Notification service", scopes: ["users:read"])

    /// The service's name as its variables' prefix is made from (`orders`: `ORDERS_CLIENT_ID`).
    let service: String
    /// The client's display name.
    let name: String
    /// The scopes the client may ask for.
    let scopes: [String]

    /// The client id when the environment names none.
    var defaultClientID: String { "acme-\(self.service)" }
    /// Where the default client's secret is kept.
    var secretFile: String { "./data/\(self.service)-client.secret" }
    private var idVariable: String { "\(self.service.uppercased())_CLIENT_ID" }
    private var secretVariable: String { "\(self.service.uppercased())_CLIENT_SECRET" }

    /// `environment` with the client's id and secret variables set to a client that exists.
    ///
    /// - Throws: `ServiceConfigurationError` when the client exists with another secret, or the secret file
    ///   cannot be read or written.
    func ensure(store: any UserStore, environment: [String: String]) async throws -> [String: String] {
        let id: String
        let secret: String
        if let givenID = environment[self.idVariable], !givenID.isEmpty,
            let givenSecret = environment[self.secretVariable], !givenSecret.isEmpty
        {
            (id, secret) = (givenID, givenSecret)
        } else {
            (id, secret) = (self.defaultClientID, try self.storedSecret())
        }
        if let existing = try await store.client(id: id) {
            guard existing.secretHash == RandomToken.digest(secret) else {
                throw ServiceConfigurationError(
                    "\(self.idVariable): the OAuth client \(id) exists with another secret; set "
                        + "\(self.secretVariable) to its secret, or \(self.idVariable) to a client that does not "
                        + "exist yet")
            }
        } else {
            do {
                try await store.createClient(
                    OAuthClientRecord(
                        id: id, name: self.name, secretHash: RandomToken.digest(secret), redirectURIs: [],
                        grants: ["client_credentials"], scopes: self.scopes, createdAt: Timestamp.nowMilliseconds()))
            } catch UserStoreError.clientExists {
                // Another process created it at the same moment; its secret is checked on the next start.
            }
        }
        var result = environment
        result[self.idVariable] = id
        result[self.secretVariable] = secret
        return result
    }

    /// The secret in `secretFile`, made (256 random bits) and written when the file does not exist.
    private func storedSecret() throws -> String {
        let manager = FileManager.default
        if let data = manager.contents(atPath: self.secretFile) {
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else {
                throw ServiceConfigurationError("\(self.secretFile): empty; delete it to make a new client secret")
            }
            return secret
        }
        let secret = RandomToken.make()
        do {
            try manager.createDirectory(atPath: "./data", withIntermediateDirectories: true)
            guard
                manager.createFile(
                    atPath: self.secretFile, contents: Data((secret + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw ServiceConfigurationError("\(self.secretFile): cannot be written (\(error))")
        }
        return secret
    }
}
