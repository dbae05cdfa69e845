import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), S256 only: the plain method would let whoever sees the authorization
/// request redeem the code.
enum PKCE {
    /// Whether `verifier` (43 to 128 unreserved characters) hashes to `challenge`:
    /// `BASE64URL(SHA256(verifier)) == challenge`.
    static func verify(verifier: String, challenge: String) -> Bool {
        guard Self.isWellFormed(verifier) else { return false }
        return RandomToken.constantTimeEquals(Self.challenge(for: verifier), challenge)
    }

    /// The S256 challenge of `verifier`.
    static func challenge(for verifier: String) -> String {
        RandomToken.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// 43 to 128 characters of `[A-Za-z0-9-._~]`: a verifier, or an S256 challenge (always 43).
    static func isWellFormed(_ text: String) -> Bool {
        (43...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            }
    }
}
