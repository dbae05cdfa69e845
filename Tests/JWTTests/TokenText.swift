@testable import JWT

/// Builds compact tokens by hand, for tokens libjwt would refuse to make.
enum TokenText {
    static func segment(_ json: String) -> String {
        Base64URL.encode(Array(json.utf8))
    }

    static func make(header: String, claims: String, signature: [UInt8] = [1, 2, 3]) -> String {
        "\(Self.segment(header)).\(Self.segment(claims)).\(Base64URL.encode(signature))"
    }
}
