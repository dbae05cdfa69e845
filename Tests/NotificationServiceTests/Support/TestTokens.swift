import ServiceKitTesting

/// Tokens as the user service would issue them, signed with a test key the service trusts.
enum TestTokens {
    /// The user service as the tests play it: the issuer the service expects and the keys it verifies with.
    static let users = try! TestTokenIssuer()

    /// The token of user `ada`.
    static let ada = users.token(subject: "ada")
    /// The token of user `bob`.
    static let bob = users.token(subject: "bob")
    /// An administrator's token.
    static let admin = users.token(subject: "root", groups: ["admin"])
}
