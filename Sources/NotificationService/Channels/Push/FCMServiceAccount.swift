import Foundation
import ServiceKit

/// The parts of a Google service-account key file (`FCM_CREDENTIALS`) that FCM needs.
public struct FCMServiceAccount: Sendable, Hashable, Decodable {
    /// The Firebase project.
    public var projectID: String
    /// The account's email: the assertion's issuer.
    public var clientEmail: String
    /// The RSA private key, PEM.
    public var privateKey: String
    /// The key's id, put in the assertion's header.
    public var privateKeyID: String?
    /// Where tokens are obtained.
    public var tokenURI: String

    private enum CodingKeys: String, CodingKey {
        case projectID = "project_id", clientEmail = "client_email", privateKey = "private_key"
        case privateKeyID = "private_key_id", tokenURI = "token_uri"
    }

    /// An account from its parts.
    public init(projectID: String, clientEmail: String, privateKey: String, privateKeyID: String?, tokenURI: String) {
        self.projectID = projectID
        self.clientEmail = clientEmail
        self.privateKey = privateKey
        self.privateKeyID = privateKeyID
        self.tokenURI = tokenURI
    }

    /// The account in the key file at `path`.
    ///
    /// - Throws: `ServiceConfigurationError` naming `FCM_CREDENTIALS` and the file when it cannot be read or lacks a
    ///   field.
    public static func load(path: String) throws -> FCMServiceAccount {
        do {
            return try JSONDecoder().decode(FCMServiceAccount.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch DecodingError.keyNotFound(let key, _) {
            throw ServiceConfigurationError("FCM_CREDENTIALS: \(path): \(key.stringValue): expected a string")
        } catch {
            throw ServiceConfigurationError(
                "FCM_CREDENTIALS: \(path): expected a service-account key file (JSON): \(error)")
        }
    }
}
