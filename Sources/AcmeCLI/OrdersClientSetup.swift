import Foundation
import OrderService
import ServiceKit
import UserService

/// The order service's own OAuth client for `acme up` (client credentials, scopes `users:read inventory:write`),
/// created in the user service's store when missing. Its credentials come from `ORDERS_CLIENT_ID` /
/// `ORDERS_CLIENT_SECRET` when both are set; otherwise the client is `acme-orders` and its secret is made once and
/// kept in `./data/orders-client.secret` (readable by its owner only), so that the next `acme up` finds it again.
enum OrdersClientSetup {
    static let defaultClientID = "acme-orders"
    static let secretFile = "./data/orders-client.secret"

    /// The environment for the order service: `environment` with `ORDERS_CLIENT_ID` and `ORDERS_CLIENT_SECRET`
    /// set to a client that exists.
    ///
    /// - Throws: `ServiceConfigurationError` when the client exists with another secret, or the secret file
    ///   cannot be read or written.
    static func ensure(store: any UserStore, environment: [String: String]) async throws -> [String: String] {
        let id: String
        let secret: String
        if let givenID = environment["ORDERS_CLIENT_ID"], !givenID.isEmpty,
            let givenSecret = environment["ORDERS_CLIENT_SECRET"], !givenSecret.isEmpty
        {
            (id, secret) = (givenID, givenSecret)
        } else {
            (id, secret) = (Self.defaultClientID, try Self.storedSecret())
        }
        if let existing = try await store.client(id: id) {
            guard existing.secretHash == RandomToken.digest(secret) else {
                throw ServiceConfigurationError(
                    "ORDERS_CLIENT_ID: the OAuth client \(id) exists with another secret; set ORDERS_CLIENT_SECRET "
                        + "to its secret, or ORDERS_CLIENT_ID to a client that does not exist yet")
            }
        } else {
            do {
                try await store.createClient(
                    OAuthClientRecord(
                        id: id, name: "Order service", secretHash: RandomToken.digest(secret), redirectURIs: [],
                        grants: ["client_credentials"], scopes: OrderServiceConfiguration.scopes,
                        createdAt: Timestamp.nowMilliseconds()))
            } catch UserStoreError.clientExists {
                // Another process created it at the same moment; its secret is checked on the next start.
            }
        }
        var result = environment
        result["ORDERS_CLIENT_ID"] = id
        result["ORDERS_CLIENT_SECRET"] = secret
        return result
    }

    /// The secret in `secretFile`, made (256 random bits) and written when the file does not exist.
    private static func storedSecret() throws -> String {
        let manager = FileManager.default
        if let data = manager.contents(atPath: Self.secretFile) {
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else {
                throw ServiceConfigurationError("\(Self.secretFile): empty; delete it to make a new client secret")
            }
            return secret
        }
        let secret = RandomToken.make()
        do {
            try manager.createDirectory(atPath: "./data", withIntermediateDirectories: true)
            guard
                manager.createFile(
                    atPath: Self.secretFile, contents: Data((secret + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw ServiceConfigurationError("\(Self.secretFile): cannot be written (\(error))")
        }
        return secret
    }
}
